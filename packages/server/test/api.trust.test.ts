/**
 * Trust fixes over the API (docs/api.md): a manager hides a note from the customer, items
 * lock once QC passed (P9), and one customer link per job that staff can copy again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, startTestServer, type TestServer, type TestUser } from './helpers/server.js';

describe('API: note visibility, QC lock, one share link per job', () => {
  let t: TestServer;
  let manager: TestUser;
  let mechanic: TestUser;

  beforeAll(async () => {
    t = await startTestServer();
    manager = await createUser(t.pitboard, 'manager');
    mechanic = await createUser(t.pitboard, 'mechanic');
  });
  afterAll(() => t.stop());

  const newJob = async (items = ['Tyres']) =>
    (await api(t.url, manager.token).post('/api/jobs', { bike: 'Moulton', customer: { name: 'Dee' }, items, mechanicId: mechanic.id })).body as { id: string; shareUrl: string; shareLinkId: string };

  it('a manager hides a note from the public view and shows it again; a mechanic may not; bad input changes nothing', async () => {
    const job = await newJob();
    const token = job.shareUrl.split('/p/')[1];
    const note = await api(t.url, mechanic.token).post(`/api/jobs/${job.id}/notes`, { text: 'Sent public by mistake', visibility: 'customer' });
    const path = `/api/jobs/${job.id}/notes/${note.body.id}/visibility`;
    expect((await api(t.url).get(`/api/share/${token}`)).body.notes).toEqual([expect.objectContaining({ text: 'Sent public by mistake' })]);

    expect((await api(t.url, mechanic.token).post(path, { visibility: 'internal' })).status).toBe(403);
    expect(await api(t.url, manager.token).post(path, { visibility: 'everyone' })).toMatchObject({ status: 400 });
    expect(await api(t.url, manager.token).post(`/api/jobs/${job.id}/notes/nope/visibility`, { visibility: 'internal' })).toMatchObject({ status: 400, body: { error: expect.stringContaining('unknown note') } });
    expect((await api(t.url).get(`/api/share/${token}`)).body.notes).toHaveLength(1);

    expect(await api(t.url, manager.token).post(path, { visibility: 'internal' })).toMatchObject({ status: 200, body: { visibility: 'internal' } });
    expect((await api(t.url).get(`/api/share/${token}`)).body.notes).toEqual([]);
    await api(t.url, manager.token).post(path, { visibility: 'customer' });
    expect((await api(t.url).get(`/api/share/${token}`)).body.notes).toHaveLength(1);
  });

  it('P9: once QC passed the server refuses a mechanic un-ticking; after a failing check (reopen) it accepts', async () => {
    const job = await newJob(['Brakes']);
    const itemId = (await api(t.url, manager.token).get(`/api/jobs/${job.id}`)).body.items[0].id;
    await api(t.url, mechanic.token).post(`/api/jobs/${job.id}/items/${itemId}`, { done: true });
    await api(t.url, manager.token).post(`/api/jobs/${job.id}/qc`, { pass: true });
    const refused = await api(t.url, mechanic.token).post(`/api/jobs/${job.id}/items/${itemId}`, { done: false });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toMatch(/P9|locked/);
    expect((await api(t.url, manager.token).get(`/api/jobs/${job.id}`)).body.status).toBe('ready_for_pickup');

    await api(t.url, manager.token).post(`/api/jobs/${job.id}/qc`, { pass: false, note: 'Reopened for work' });
    expect((await api(t.url, mechanic.token).post(`/api/jobs/${job.id}/items/${itemId}`, { done: false })).status).toBe(200);
  });

  it('one link per job: the current link can be fetched again; a new one revokes the old', async () => {
    const job = await newJob();
    const first = await api(t.url, manager.token).get(`/api/jobs/${job.id}/share-link`);
    expect(first).toMatchObject({ status: 200, body: { id: job.shareLinkId, url: job.shareUrl } });
    expect((await api(t.url, manager.token).get(`/api/jobs/${job.id}/share-link`)).body.url).toBe(job.shareUrl);
    expect((await api(t.url, mechanic.token).get(`/api/jobs/${job.id}/share-link`)).status).toBe(403);
    expect((await api(t.url, mechanic.token).put(`/api/jobs/${job.id}/share-link`)).status).toBe(403);

    const replaced = await api(t.url, manager.token).put(`/api/jobs/${job.id}/share-link`);
    expect(replaced).toMatchObject({ status: 201, body: { id: expect.any(String), url: expect.stringContaining('/p/'), token: expect.any(String), revoked: [job.shareLinkId] } });
    expect((await api(t.url).get(`/api/share/${job.shareUrl.split('/p/')[1]}`)).status).toBe(404);
    expect((await api(t.url).get(`/api/share/${replaced.body.token}`)).status).toBe(200);
    expect((await api(t.url, manager.token).get(`/api/jobs/${job.id}/share-link`)).body.url).toBe(replaced.body.url);
    const active = (await t.pitboard.storage.listShareLinks(job.id)).filter((l) => !l.revokedAt);
    expect(active.map((l) => l.id)).toEqual([replaced.body.id]);

    await api(t.url, manager.token).del(`/api/jobs/${job.id}/share-links/${replaced.body.id}`);
    expect(await api(t.url, manager.token).get(`/api/jobs/${job.id}/share-link`)).toMatchObject({ status: 404, body: { error: 'this job has no active link' } });
  });
});
