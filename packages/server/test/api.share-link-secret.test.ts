/**
 * One customer link per job, copied again without storing its token (docs/api.md, "Share
 * links"): the token is an HMAC of the link id with a secret kept outside the database
 * (SHARE_LINK_SECRET, else DATA_DIR/share-link.key).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { randomString, sha256Hex } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import { createPitboard } from '../src/pitboard.js';
import { api, createUser, startTestServer, testDatabase, type TestDatabase, type TestServer } from './helpers/server.js';
import { tablesHolding } from './helpers/stored-values.js';

const SECRET_A = 'a-share-link-secret-for-instance-A-0123456789';
const SECRET_B = 'another-share-link-secret-for-instance-B-987';
const where = (db: TestDatabase) => ({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });

describe('share links: copied again, stored only hashed', () => {
  let running: TestServer | null = null;
  afterEach(async () => {
    await running?.stop();
    running = null;
  });
  const start = async (db: TestDatabase, env: Record<string, string> = {}) => (running = await startTestServer({ db, env }));
  const stop = async () => {
    await running!.stop();
    running = null;
  };

  async function jobWithLink(t: TestServer) {
    const manager = await createUser(t.pitboard, 'manager');
    const job = (await api(t.url, manager.token).post('/api/jobs', { bike: 'Brompton', customer: { name: 'Ann' }, items: ['Chain'] })).body as { id: string; shareUrl: string; shareLinkId: string };
    return { manager, job, token: job.shareUrl.split('/p/')[1]! };
  }

  it('without SHARE_LINK_SECRET: a 0600 key file beside the database, the same link copied twice and after a restart, nothing in the database rebuilds it', async () => {
    const db = await testDatabase();
    const t = await start(db);
    const file = path.join(db.dataDir, 'share-link.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const key = fs.readFileSync(file, 'utf8').trim();
    expect(key).toMatch(/^[0-9a-f]{64}$/);

    const { manager, job, token } = await jobWithLink(t);
    const first = await api(t.url, manager.token).get(`/api/jobs/${job.id}/share-link`);
    const second = await api(t.url, manager.token).get(`/api/jobs/${job.id}/share-link`);
    expect(first).toMatchObject({ status: 200, body: { id: job.shareLinkId, url: job.shareUrl, token, reason: null } });
    expect(second.body.url).toBe(job.shareUrl);
    expect(await tablesHolding(where(db), token)).toEqual([]);
    expect(await tablesHolding(where(db), key)).toEqual([]);
    await stop();

    const again = await start(db);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(key); // kept, not remade
    const sessionAgain = (await api(again.url, manager.token).get(`/api/jobs/${job.id}/share-link`)).body;
    expect(sessionAgain).toMatchObject({ url: job.shareUrl });
    expect((await api(again.url).get(`/api/share/${token}`)).status).toBe(200);
  });

  it('a new link revokes the old one; the new one is copied the same every time', async () => {
    const db = await testDatabase();
    const t = await start(db, { SHARE_LINK_SECRET: SECRET_A });
    const { manager, job, token } = await jobWithLink(t);
    const replaced = await api(t.url, manager.token).put(`/api/jobs/${job.id}/share-link`);
    expect(replaced).toMatchObject({ status: 201, body: { revoked: [job.shareLinkId] } });
    expect((await api(t.url).get(`/api/share/${token}`)).status).toBe(404);
    expect((await api(t.url).get(`/api/share/${replaced.body.token}`)).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      expect((await api(t.url, manager.token).get(`/api/jobs/${job.id}/share-link`)).body).toMatchObject({ id: replaced.body.id, url: replaced.body.url });
    }
    expect(await tablesHolding(where(db), replaced.body.token)).toEqual([]);
    expect(await tablesHolding(where(db), SECRET_A)).toEqual([]);
    expect(fs.existsSync(path.join(db.dataDir, 'share-link.key'))).toBe(false); // the setting wins
  });

  it('another secret cannot show the link again (plain reason), the link keeps working, and a new link is copyable', async () => {
    const db = await testDatabase();
    const a = await start(db, { SHARE_LINK_SECRET: SECRET_A });
    const { manager, job, token } = await jobWithLink(a);
    await stop();

    const b = await start(db, { SHARE_LINK_SECRET: SECRET_B });
    const shown = await api(b.url, manager.token).get(`/api/jobs/${job.id}/share-link`);
    expect(shown).toMatchObject({ status: 200, body: { id: job.shareLinkId, token: null, url: null, reason: expect.stringContaining('cannot be shown again') } });
    expect((await api(b.url).get(`/api/share/${token}`)).status).toBe(200);

    const fresh = await api(b.url, manager.token).put(`/api/jobs/${job.id}/share-link`);
    expect(fresh.body.revoked).toEqual([job.shareLinkId]);
    expect((await api(b.url, manager.token).get(`/api/jobs/${job.id}/share-link`)).body).toMatchObject({ url: fresh.body.url, reason: null });
  });

  it('a link made by older code (a random token) still works but is not shown again', async () => {
    const t = await start(await testDatabase());
    const { manager, job } = await jobWithLink(t);
    const old = randomString(20);
    await t.pitboard.storage.createShareLink({ id: randomString(8), jobId: job.id, tokenHash: sha256Hex(old), createdBy: manager.id, createdAt: new Date(Date.now() + 1000).toISOString(), expiresAt: null, revokedAt: null });
    expect((await api(t.url, manager.token).get(`/api/jobs/${job.id}/share-link`)).body).toMatchObject({ url: null, reason: expect.stringContaining('cannot be shown again') });
    expect((await api(t.url).get(`/api/share/${old}`)).status).toBe(200);
  });

  it('a short SHARE_LINK_SECRET or a damaged key file stops the start with a clear error', async () => {
    expect(() => loadConfig({ SHARE_LINK_SECRET: 'too-short' })).toThrow(/SHARE_LINK_SECRET must be at least 32 characters/);
    const db = await testDatabase();
    fs.writeFileSync(path.join(db.dataDir, 'share-link.key'), 'not a key\n');
    const config = loadConfig({ ...db.env, PITBOARD_DEMO: '0', LOG_LEVEL: 'silent' }, { port: 0 });
    await expect(createPitboard(config)).rejects.toThrow(/share-link\.key is not a share-link key/);
    expect(fs.readFileSync(path.join(db.dataDir, 'share-link.key'), 'utf8')).toBe('not a key\n'); // left as it was
  });
});
