import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, startTestServer, type TestServer, type TestUser } from './helpers/server.js';
import { storedTables, tablesHolding } from './helpers/stored-values.js';

describe('API: share links and the public view (docs/product.md, Privacy)', () => {
  let t: TestServer;
  let manager: TestUser;
  let mechanic: TestUser;
  let jobId: string;
  let token: string;

  beforeAll(async () => {
    t = await startTestServer();
    manager = await createUser(t.pitboard, 'manager');
    mechanic = await createUser(t.pitboard, 'mechanic');
    const r = await api(t.url, manager.token).post('/api/jobs', { bike: 'Moulton TSR', customer: { name: 'Dee', email: 'dee@x.dev' }, items: ['Tyres', 'Lights'], mechanicId: mechanic.id });
    jobId = r.body.id;
    token = r.body.shareUrl.split('/p/')[1];
    await api(t.url, mechanic.token).post(`/api/jobs/${jobId}/notes`, { text: 'SECRET-INTERNAL customer was rude', visibility: 'internal' });
    await api(t.url, mechanic.token).post(`/api/jobs/${jobId}/notes`, { text: 'New tyres fitted', visibility: 'customer' });
    await api(t.url, mechanic.token).post(`/api/mechanic/repair/${jobId}/stuck`, { reason: 'SECRET-STUCK supplier late' });
  });
  afterAll(() => t.stop());

  it('GET /api/share/:token gives the public view and nothing internal', async () => {
    const r = await api(t.url).get(`/api/share/${token}/`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ bike: 'Moulton TSR', status: 'stuck', progress: { done: 0, total: 2 }, items: [{ title: 'Tyres', done: false }, { title: 'Lights', done: false }], notes: [{ text: 'New tyres fitted' }], updatedAt: expect.any(String) });
    const raw = JSON.stringify(r.body);
    for (const secret of ['SECRET', mechanic.id, manager.id, 'dee@x.dev', 'Dee']) expect(raw).not.toContain(secret);
  });

  it('the token is ≥128 bits and stored only hashed: no table holds it, nor a column to rebuild it', async () => {
    expect(token.length * 5).toBeGreaterThanOrEqual(128);
    const links = await t.pitboard.storage.listShareLinks(jobId);
    expect(links).toHaveLength(1);
    expect(JSON.stringify(links)).not.toContain(token);
    expect(links[0]!.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    const where = { databaseUrl: t.pitboard.config.databaseUrl, dataDir: t.pitboard.config.dataDir };
    expect(await tablesHolding(where, token)).toEqual([]);
    expect((await storedTables(where)).get('share_links')!.columns.sort()).toEqual(['created_at', 'created_by', 'expires_at', 'id', 'job_id', 'revoked_at', 'token_hash']);
  });

  it('unknown, malformed and revoked links are 404 with a friendly message', async () => {
    expect(await api(t.url).get(`/api/share/${'a'.repeat(32)}`)).toMatchObject({ status: 404, body: { error: 'this link is not valid' } });
    expect((await api(t.url).get(`/api/share/<script>`)).status).toBe(404);
    const created = await api(t.url, manager.token).post(`/api/jobs/${jobId}/share-links`);
    expect(created).toMatchObject({ status: 201, body: { id: expect.any(String), url: expect.stringContaining('/p/'), token: expect.any(String) } });
    expect((await api(t.url).get(`/api/share/${created.body.token}`)).status).toBe(200);
    expect((await api(t.url, mechanic.token).del(`/api/jobs/${jobId}/share-links/${created.body.id}`)).status).toBe(403);
    expect((await api(t.url, manager.token).del(`/api/jobs/${jobId}/share-links/${created.body.id}`)).status).toBe(200);
    expect((await api(t.url, manager.token).del(`/api/jobs/${jobId}/share-links/${created.body.id}`)).status).toBe(404);
    expect((await api(t.url).get(`/api/share/${created.body.token}`)).status).toBe(404);
    expect((await api(t.url).get(`/api/share/${token}`)).status).toBe(200);
  });

  it('an expired link is 404; creating links is for managers with valid input', async () => {
    const past = await api(t.url, manager.token).post(`/api/jobs/${jobId}/share-links`, { expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect((await api(t.url).get(`/api/share/${past.body.token}`)).status).toBe(404);
    expect((await api(t.url, manager.token).post(`/api/jobs/${jobId}/share-links`, { expiresAt: 'soon' })).status).toBe(400);
    expect((await api(t.url, mechanic.token).post(`/api/jobs/${jobId}/share-links`)).status).toBe(403);
    expect((await api(t.url, manager.token).post(`/api/jobs/nope/share-links`)).status).toBe(404);
  });
});
