/**
 * Class 10, the SQLite write lock: while another process holds it, a request that needs to
 * write waits without freezing the server — other requests are answered meanwhile — and
 * goes through when the lock is released, or fails alone with a plain 503 if it is held too
 * long. (better-sqlite3 is synchronous: a long busy_timeout blocked the event loop for all.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, startTestServer, waitFor, type TestServer, type TestUser } from '../helpers/server.js';

const sqlite = !process.env.TEST_DATABASE_URL;
const betterSqlite = createRequire(import.meta.url).resolve('better-sqlite3');

/** Another process holding the database's write lock (BEGIN IMMEDIATE) until released. */
async function holdWriteLock(file: string): Promise<{ release(): Promise<void> }> {
  const script = `
    const db = new (require(process.env.BS3))(process.env.FILE);
    db.exec('begin immediate');
    process.stdout.write('locked\\n');
    process.stdin.on('data', () => { db.exec('rollback'); db.close(); process.exit(0); });`;
  const child: ChildProcess = spawn(process.execPath, ['-e', script], { env: { ...process.env, BS3: betterSqlite, FILE: file }, stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('locked') && resolve());
    child.once('exit', (code) => reject(new Error(`lock holder exited (${code})`)));
  });
  const exited = new Promise((r) => child.once('exit', r));
  return {
    release: async () => {
      child.stdin!.write('release\n');
      await exited;
    }
  };
}

describe.runIf(sqlite)('class 10: another process holding the SQLite write lock', () => {
  let t: TestServer;
  let manager: TestUser;
  let file: string;
  beforeAll(async () => {
    t = await startTestServer();
    manager = await createUser(t.pitboard, 'manager');
    file = path.join(t.dataDir, 'pitboard.sqlite');
  });
  afterAll(() => t.stop());

  const lockWaits = async () => {
    const text = await (await fetch(`${t.url}/metrics`)).text();
    return Number(/^pitboard_storage_lock_waits_total (\d+)$/m.exec(text)?.[1] ?? 0);
  };

  it('a sign-in waits for the lock while the server keeps answering, then succeeds', async () => {
    const lock = await holdWriteLock(file);
    let settled = false;
    const login = api(t.url)
      .post('/api/auth/login', { email: manager.email, password: 'correct horse' })
      .finally(() => (settled = true));
    try {
      // The sign-in's session insert is waiting for the lock — and /metrics answers meanwhile.
      await waitFor(async () => (await lockWaits()) > 0, 4000, 'the sign-in to wait for the lock');
      // Reads need no lock (WAL): a signed-in read is served while the write waits.
      expect((await api(t.url, manager.token).get('/api/me')).status).toBe(200);
      // Readiness says why writes wait.
      const health = await fetch(`${t.url}/healthz`);
      expect(health.status).toBe(503);
      expect(((await health.json()) as any).checks.storage.reason).toMatch(/locked by another process/);
      expect(settled).toBe(false);
    } finally {
      await lock.release();
    }
    const res = await login;
    expect(res.status).toBe(200);
    expect(res.body.user.email).toBe(manager.email);
  });

  it('a write that cannot get the lock in time fails alone, with a plain 503', async () => {
    const lock = await holdWriteLock(file);
    try {
      const res = await api(t.url).post('/api/auth/login', { email: manager.email, password: 'correct horse' });
      expect(res).toMatchObject({ status: 503, body: { error: 'the database is busy; please try again in a moment' } });
    } finally {
      await lock.release();
    }
    expect((await api(t.url).post('/api/auth/login', { email: manager.email, password: 'correct horse' })).status).toBe(200);
  });
});
