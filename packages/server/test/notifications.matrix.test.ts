/**
 * Every row of the notification matrix (docs/product.md), end to end: the change is made by a
 * provider client or the API; the recipient, connected with its own client, sees it live, and
 * GET /api/notifications lists it. People who must not be told are not.
 */
import { readJob, setItemDone } from '@pitboard/job-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connect, createUser, openInbox, startTestServer, waitFor, type InboxClient, type TestServer, type TestUser } from './helpers/server.js';

describe('notifications: the matrix', () => {
  let t: TestServer;
  let boss: TestUser, boss2: TestUser, theo: TestUser, ana: TestUser, kim: TestUser, lee: TestUser;
  const inboxes = new Map<string, InboxClient>();
  const kinds = (u: TestUser) => [...inboxes.get(u.id)!.notifications().values()].map((n) => n.kind);
  const listed = async (u: TestUser) => (await api(t.url, u.token).get('/api/notifications')).body as any[];

  beforeAll(async () => {
    t = await startTestServer();
    [boss, boss2] = [await createUser(t.pitboard, 'manager'), await createUser(t.pitboard, 'manager')];
    [theo, ana] = [await createUser(t.pitboard, 'mechanic'), await createUser(t.pitboard, 'mechanic')];
    [kim, lee] = [await createUser(t.pitboard, 'customer'), await createUser(t.pitboard, 'customer')];
    for (const u of [boss, boss2, theo, ana, kim, lee]) inboxes.set(u.id, await openInbox(t.wsUrl, u));
  });
  afterAll(async () => {
    for (const i of inboxes.values()) i.close();
    await t.stop();
  });

  it('assigned / unassigned: the new mechanic, and the previous one', async () => {
    const { body } = await api(t.url, boss.token).post('/api/jobs', { bike: 'Trek', customerId: kim.id, items: ['A'] });
    await api(t.url, boss.token).post(`/api/jobs/${body.id}/assign`, { mechanicId: theo.id });
    await waitFor(() => kinds(theo).includes('assigned'), 3000, 'theo told live');
    await api(t.url, boss.token).post(`/api/jobs/${body.id}/assign`, { mechanicId: ana.id });
    await waitFor(() => kinds(ana).includes('assigned') && kinds(theo).includes('unassigned'), 3000, 'both told');
    expect((await listed(theo)).map((n) => n.kind).sort()).toEqual(['assigned', 'unassigned']);
    expect(kinds(kim)).toEqual([]);
    expect(kinds(boss)).toEqual([]);
  });

  it('progress: the customer, one coalesced entry per job; ready for QC: every manager', async () => {
    const { body } = await api(t.url, boss.token).post('/api/jobs', { bike: 'Brompton', customerId: kim.id, items: ['A', 'B', 'C'], mechanicId: theo.id });
    const m = await connect(t.wsUrl, `job:${body.id}`, theo.token);
    const items = readJob(m.doc).items;
    setItemDone(m.doc, items[0]!.id, true, theo.id, new Date().toISOString());
    await m.settled();
    await waitFor(() => [...inboxes.get(kim.id)!.notifications().values()].some((n) => n.jobId === body.id && n.title.includes('1 of 3')), 3000, 'kim sees 1 of 3');
    setItemDone(m.doc, items[1]!.id, true, theo.id, new Date().toISOString());
    await m.settled();
    await waitFor(() => [...inboxes.get(kim.id)!.notifications().values()].some((n) => n.jobId === body.id && n.title.includes('2 of 3')), 3000, 'kim sees 2 of 3');
    const kimsProgress = (await listed(kim)).filter((n) => n.jobId === body.id && n.kind === 'progress');
    expect(kimsProgress).toHaveLength(1);
    expect(kimsProgress[0].title).toContain('2 of 3');
    setItemDone(m.doc, items[2]!.id, true, theo.id, new Date().toISOString());
    await m.settled();
    for (const manager of [boss, boss2]) {
      await waitFor(() => kinds(manager).includes('ready_for_qc'), 3000, 'managers told');
      expect((await listed(manager)).filter((n) => n.jobId === body.id && n.kind === 'ready_for_qc')).toHaveLength(1);
    }
    expect(kinds(lee)).toEqual([]);
    expect(kinds(ana).filter((k) => k === 'ready_for_qc')).toEqual([]);
    m.close();
  });

  it('stuck (with its reason): every manager; unstuck: the assigned mechanic', async () => {
    const { body } = await api(t.url, boss.token).post('/api/jobs', { bike: 'Surly', customerId: lee.id, items: ['A'], mechanicId: ana.id });
    await api(t.url, ana.token).post(`/api/mechanic/repair/${body.id}/stuck`, { reason: 'Seized seatpost' });
    for (const manager of [boss, boss2]) {
      await waitFor(() => [...inboxes.get(manager.id)!.notifications().values()].some((n) => n.kind === 'stuck' && n.body === 'Seized seatpost'), 3000, 'stuck alert');
    }
    await api(t.url, boss.token).post(`/api/manager/resolve-stuck/${body.id}`, { note: 'Freed it with heat' });
    await waitFor(() => [...inboxes.get(ana.id)!.notifications().values()].some((n) => n.kind === 'unstuck' && n.body === 'Freed it with heat'), 3000, 'unstuck');
    // The stuck alert is now moot: shown as resolved, live and in the list.
    await waitFor(() => [...inboxes.get(boss.id)!.notifications().values()].some((n) => n.kind === 'stuck' && n.jobId === body.id && n.resolvedAt), 3000, 'resolved live');
    expect((await listed(boss2)).find((n) => n.kind === 'stuck' && n.jobId === body.id).resolvedAt).toBeTruthy();
    expect(kinds(lee)).not.toContain('stuck');
  });

  it('QC failed: the mechanic; ready for pickup: the customer (a celebration)', async () => {
    const { body } = await api(t.url, boss.token).post('/api/jobs', { bike: 'Moulton', customerId: lee.id, items: ['A'], mechanicId: theo.id });
    const job = (await api(t.url, boss.token).get(`/api/jobs/${body.id}`)).body;
    await api(t.url, theo.token).post(`/api/jobs/${body.id}/items/${job.items[0].id}`, { done: true });
    await api(t.url, boss.token).post(`/api/jobs/${body.id}/qc`, { pass: false, note: 'Wobbly wheel', redoItemIds: [job.items[0].id] });
    await waitFor(() => [...inboxes.get(theo.id)!.notifications().values()].some((n) => n.kind === 'qc_failed' && n.body === 'Wobbly wheel'), 3000, 'qc failed');
    // The QC alert for that round is moot now that the item is un-ticked.
    await waitFor(() => [...inboxes.get(boss.id)!.notifications().values()].some((n) => n.kind === 'ready_for_qc' && n.jobId === body.id && n.resolvedAt), 3000, 'qc alert resolved');
    await api(t.url, theo.token).post(`/api/jobs/${body.id}/items/${job.items[0].id}`, { done: true });
    await api(t.url, boss.token).post(`/api/jobs/${body.id}/qc`, { pass: true });
    await waitFor(() => [...inboxes.get(lee.id)!.notifications().values()].some((n) => n.kind === 'ready_for_pickup' && n.jobId === body.id), 3000, 'pickup');
    const leeList = await listed(lee);
    expect(leeList.filter((n) => n.kind === 'ready_for_pickup')).toHaveLength(1);
    expect(JSON.stringify(leeList)).not.toContain('Wobbly');
    expect(kinds(kim).filter((k) => k === 'ready_for_pickup')).toEqual([]);
  });
});
