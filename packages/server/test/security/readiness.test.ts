/**
 * Class 10, storage readiness: `/healthz` is a set of named checks, and its `storage` check
 * really writes — a damaged database file turns it to 503 with the reason (it said OK while
 * sign-ins failed), and it comes back when the file is sound again.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from '../helpers/server.js';

const sqlite = !process.env.TEST_DATABASE_URL;

describe('class 10: readiness reflects storage', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.stop());

  const health = async () => {
    const res = await fetch(`${t.url}/healthz`);
    return { status: res.status, body: (await res.json()) as any };
  };

  it('answers 200 with every check ok when storage is writable', async () => {
    expect(await health()).toMatchObject({ status: 200, body: { ok: true, status: 'ok', checks: { storage: { ok: true } } } });
  });

  it.runIf(sqlite)('answers 503 naming the storage check while the database file is damaged, and 200 again once it is sound', async () => {
    const file = path.join(t.dataDir, 'pitboard.sqlite');
    // Everything into the main file first (WAL mode keeps recent pages, page 1 too, in the -wal).
    const other = new Database(file);
    other.pragma('wal_checkpoint(TRUNCATE)');
    other.close();
    const fd = fs.openSync(file, 'r+');
    const header = Buffer.alloc(100);
    fs.readSync(fd, header, 0, 100, 0);
    try {
      fs.writeSync(fd, Buffer.alloc(100, 0x5a), 0, 100, 0); // "SQLite format 3" header gone
      await waitFor(async () => (await health()).status === 503, 10_000, 'readiness to notice the damage');
      const { body } = await health();
      expect(body).toMatchObject({ ok: false, status: 'unavailable', checks: { storage: { ok: false, reason: expect.stringMatching(/damaged/) } } });
    } finally {
      fs.writeSync(fd, header, 0, 100, 0);
      fs.closeSync(fd);
    }
    await waitFor(async () => (await health()).status === 200, 10_000, 'readiness to recover');
  });
});
