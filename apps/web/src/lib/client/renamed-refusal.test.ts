/**
 * A real server renames a refusal (the shared table's `text`), and the replica — over a real
 * Hocuspocus provider and WebSocket — decides exactly as before: it reads the code, not the words.
 */
import 'fake-indexeddb/auto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { CLOSE_REASONS } from '@pitboard/job-model';
import { addUser, createLogger, createPitboard, loadConfig, startServer, type Pitboard, type RunningServer } from '@pitboard/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { localDb } from './db';
import type { Connect } from './link';
import { ReplicaStore } from './replica/store';

// A tiny localStorage for the replicas' write-ahead copies (node has none).
const memory = new Map<string, string>();
(globalThis as { localStorage?: Storage }).localStorage ??= {
  get length() {
    return memory.size;
  },
  key: (i: number) => [...memory.keys()][i] ?? null,
  getItem: (k: string) => memory.get(k) ?? null,
  setItem: (k: string, v: string) => void memory.set(k, String(v)),
  removeItem: (k: string) => void memory.delete(k),
  clear: () => memory.clear()
} as Storage;

const until = (cond: () => boolean, ms = 10_000) => vi.waitUntil(cond, { timeout: ms, interval: 20 });

/** A Link over a real provider that passes the server's reasons on as they arrive (as connection.ts does). */
function realConnect(wsUrl: string, token: string): Connect {
  return (name, document, hooks) => {
    const socket = new HocuspocusProviderWebsocket({ url: wsUrl, WebSocketPolyfill: WebSocket, maxAttempts: 1 });
    const provider = new HocuspocusProvider({
      websocketProvider: socket,
      name,
      document,
      token,
      onAuthenticated: () => hooks.onAuthenticated(),
      onAuthenticationFailed: ({ reason }) => hooks.onAuthFailed(reason),
      onClose: ({ event }) => event?.reason && event.reason !== 'provider_initiated' && hooks.onRefused(event.reason)
    });
    provider.attach();
    return {
      origin: provider,
      send: () => undefined,
      verify: () => undefined,
      destroy: () => {
        provider.destroy();
        socket.destroy();
      }
    };
  };
}

describe('a renamed server refusal', () => {
  let server: RunningServer;
  let pitboard: Pitboard;
  let wsUrl: string;
  const original = CLOSE_REASONS.not_assigned.text;
  const renamed = 'Dieser Auftrag gehört einer anderen Person';

  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitboard-web-test-'));
    const config = loadConfig({ PITBOARD_DEMO: '0', LOG_LEVEL: 'silent', DATA_DIR: dataDir, HOST: '127.0.0.1' } as NodeJS.ProcessEnv, { port: 0 });
    pitboard = await createPitboard(config, createLogger('silent'));
    server = await startServer(pitboard);
    wsUrl = `${server.url.replace(/^http/, 'ws')}/collab`;
  });
  afterAll(async () => {
    (CLOSE_REASONS.not_assigned as { text: string }).text = original;
    await server?.stop();
  });

  it('still tells the replica the job is not the user’s (lost access), with the new words', async () => {
    const user = (role: 'manager' | 'mechanic', n: string) =>
      addUser(pitboard.storage, { role, email: `${n}-${Date.now()}@test.pitboard.dev`, name: n, password: 'correct horse' });
    const [boss, ana, theo] = [await user('manager', 'boss'), await user('mechanic', 'ana'), await user('mechanic', 'theo')];
    const { job } = await pitboard.jobs.create({ id: boss.id, role: 'manager' }, { bike: 'Trek', customer: { name: 'C' }, items: ['Brakes'], mechanicId: ana.id });
    const { token } = await pitboard.auth.sessions.create(theo.id);

    (CLOSE_REASONS.not_assigned as { text: string }).text = renamed;
    const store = new ReplicaStore(theo.id, localDb(theo.id), realConnect(wsUrl, token));
    const replica = store.acquire(job.id);
    await replica.ready;
    await until(() => !!replica.error);
    expect(replica.error).toBe(renamed);
    expect(replica.lostAccess).toBe(true);
    expect(replica.needsSignIn).toBe(false);
    await store.close();
  });
});
