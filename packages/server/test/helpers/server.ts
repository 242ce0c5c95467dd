/**
 * Test helpers: a real server on 127.0.0.1 (port 0) with a real SQLite file in a temporary
 * folder, real users and sessions, real providers over real WebSockets.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { parseCloseReason, type CloseReason, type Role } from '@pitboard/job-model';
import pg from 'pg';
import { vi } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { addUser } from '../../src/auth/users.js';
import { loadConfig, type Config } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/http/server.js';
import { createLogger, type Logger } from '../../src/log.js';
import { createPitboard, type Pitboard } from '../../src/pitboard.js';
import { openStorage } from '../../src/storage/index.js';

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'pitboard-test-'));
}

/**
 * Where a test server keeps its data: a fresh SQLite folder, or — when TEST_DATABASE_URL names
 * a PostgreSQL server — a fresh database created on it, so suites never share state.
 */
export interface TestDatabase {
  dataDir: string;
  databaseUrl: string | null;
  env: Record<string, string>;
}

export async function testDatabase(): Promise<TestDatabase> {
  const dataDir = tempDir();
  const admin = process.env.TEST_DATABASE_URL;
  // DATABASE_URL '': a child process (a spawned server, the CLI) never inherits one from the
  // environment (the services suite sets it) and opens PostgreSQL instead of this folder.
  if (!admin) return { dataDir, databaseUrl: null, env: { DATA_DIR: dataDir, DATABASE_URL: '' } };
  const name = `pitboard_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { dataDir, databaseUrl: url.toString(), env: { DATA_DIR: dataDir, DATABASE_URL: url.toString() } };
}

export function openTestStorage(db: TestDatabase) {
  return openStorage({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
}

export interface TestServer {
  pitboard: Pitboard;
  server: RunningServer;
  url: string;
  wsUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startTestServer(
  options: { db?: TestDatabase; config?: Partial<Config>; env?: Record<string, string>; log?: Logger } = {}
): Promise<TestServer> {
  const db = options.db ?? (await testDatabase());
  const dataDir = db.dataDir;
  const env = { PITBOARD_DEMO: '0', LOG_LEVEL: 'silent', ...options.env, ...db.env, HOST: '127.0.0.1' };
  const config = loadConfig(env as NodeJS.ProcessEnv, { port: 0, ...options.config });
  const pitboard = await createPitboard(config, options.log ?? createLogger(env.LOG_LEVEL));
  const server = await startServer(pitboard);
  return { pitboard, server, url: server.url, wsUrl: `${server.url.replace(/^http/, 'ws')}/collab`, dataDir, stop: () => server.stop() };
}

export interface TestUser {
  id: string;
  role: Role;
  email: string;
  token: string;
}

let counter = 0;
export async function createUser(pitboard: Pitboard, role: Role, name = `${role} ${++counter}`): Promise<TestUser> {
  const email = `${role}${++counter}-${Date.now()}@test.pitboard.dev`;
  const user = await addUser(pitboard.storage, { role, email, name, password: 'correct horse' });
  const { token } = await pitboard.auth.sessions.create(user.id);
  return { id: user.id, role, email, token };
}

/** JSON over HTTP; never throws on a status, returns it. */
export function api(base: string, token?: string) {
  const call = async (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(base + p, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {})
    });
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status, body: json, headers: res.headers };
  };
  return {
    get: (p: string, headers?: Record<string, string>) => call('GET', p, undefined, headers),
    post: (p: string, body?: unknown, headers?: Record<string, string>) => call('POST', p, body ?? {}, headers),
    put: (p: string, body?: unknown) => call('PUT', p, body ?? {}),
    del: (p: string) => call('DELETE', p)
  };
}

export interface Client {
  doc: Y.Doc;
  provider: HocuspocusProvider;
  socket: HocuspocusProviderWebsocket;
  /** Close events the server sent for this document, newest last. */
  closes: SeenClose[];
  /** Resolves when the server has acknowledged every local change. */
  settled(): Promise<void>;
  close(): void;
}

/** A close the client saw: `reason` is the text for people, `why` the machine-readable code (protocol.ts). */
export interface SeenClose {
  code: number;
  reason: string;
  why: CloseReason['code'];
  /** The reason string as it arrived. */
  raw: string;
}

/**
 * A provider on `name`; resolves once synced, rejects if refused with
 * `refused: <text> [<code>]` (the reason read with parseCloseReason).
 */
export function connect(wsUrl: string, name: string, token: string | null, doc = new Y.Doc()): Promise<Client> {
  const socket = new HocuspocusProviderWebsocket({ url: wsUrl, WebSocketPolyfill: WebSocket, maxAttempts: 1 });
  const closes: SeenClose[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`connect to ${name} timed out`)), 8000);
    const provider = new HocuspocusProvider({
      websocketProvider: socket,
      name,
      document: doc,
      token,
      onClose: ({ event }) => {
        const parsed = parseCloseReason(event.reason);
        closes.push({ code: event.code, reason: parsed.text, why: parsed.code, raw: event.reason });
      },
      onSynced: () => {
        clearTimeout(timer);
        resolve({
          closes,
          doc,
          provider,
          socket,
          settled: () => waitFor(() => provider.unsyncedChanges === 0, 5000, 'changes acknowledged'),
          close: () => {
            provider.destroy();
            socket.destroy();
          }
        });
      },
      onAuthenticationFailed: ({ reason }) => {
        clearTimeout(timer);
        provider.destroy();
        socket.destroy();
        const parsed = parseCloseReason(reason);
        reject(new Error(`refused: ${parsed.text} [${parsed.code}]`));
      }
    });
    provider.attach();
  });
}

/** Polls `predicate` until it holds (vi.waitFor), failing with what it waited for. Tests only: it needs vitest's runner. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await predicate())) throw new Error(`timed out waiting for ${what}`);
    },
    { timeout: timeoutMs, interval: 10 }
  );
}

const here = path.dirname(fileURLToPath(import.meta.url));
const serverRoot = path.resolve(here, '../..');

export interface ChildServer {
  url: string;
  wsUrl: string;
  child: ChildProcess;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The server as a real child process (for kill -9 and SIGTERM tests). */
export function spawnServer(db: TestDatabase, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<ChildServer> {
  return spawnEntry(serverRoot, [...nodeArgs, '--conditions=pitboard-source', '--import', 'tsx', 'src/main.ts'], db, env);
}

/** What `npm start` runs: the built app (apps/web/server.js, needs `npm run build`). */
export const shippedEntry = path.resolve(serverRoot, '../../apps/web/server.js');

export function spawnShippedApp(db: TestDatabase, env: Record<string, string> = {}): Promise<ChildServer> {
  return spawnEntry(path.dirname(shippedEntry), [shippedEntry], db, env);
}

async function spawnEntry(cwd: string, args: string[], db: TestDatabase, env: Record<string, string>): Promise<ChildServer> {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PITBOARD_DEMO: '0', LOG_LEVEL: 'info', ...db.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    // A server that did not start in time is stopped: left running, it loaded the machine further.
    // SERVER_START_MS: a longer wait for benchmarks on a crowded machine (default 20 s).
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${out}`));
    }, Number(process.env.SERVER_START_MS ?? 20_000));
    const onData = () => {
      const port = listeningPort(out);
      if (port !== undefined) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(port);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', () => reject(new Error(`server exited:\n${out}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}/collab`,
    child,
    output: () => out,
    kill: async (signal = 'SIGKILL') => {
      child.kill(signal);
      return exited;
    }
  };
}

/** The port of the server's `listening` log line, whatever the order of the line's fields. */
function listeningPort(out: string): number | undefined {
  for (const line of out.split('\n')) {
    if (!line.includes('"listening"')) continue;
    try {
      const entry = JSON.parse(line) as { msg?: string; port?: number };
      if (entry.msg === 'listening' && typeof entry.port === 'number') return entry.port;
    } catch {
      /* a line still being written */
    }
  }
  return undefined;
}

export interface InboxClient extends Client {
  messages: any[];
  /** Every notification seen live or in a backlog, by id (latest version). */
  notifications(): Map<string, any>;
  sync(after?: number): void;
}

/** A user's inbox connection, recording every stateless message. */
export async function openInbox(wsUrl: string, user: TestUser): Promise<InboxClient> {
  const messages: any[] = [];
  const client = await connect(wsUrl, `inbox:${user.id}`, user.token);
  client.provider.on('stateless', ({ payload }: { payload: string }) => messages.push(JSON.parse(payload)));
  return {
    ...client,
    messages,
    notifications: () => {
      const byId = new Map<string, any>();
      for (const m of messages) {
        const list = m.type === 'notification' ? [m.notification] : m.notifications ?? [];
        for (const n of list) byId.set(n.id, n);
      }
      return byId;
    },
    sync: (after = 0) => client.provider.sendStateless(JSON.stringify({ type: 'sync', after }))
  };
}
