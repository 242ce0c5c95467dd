/**
 * Catching up after a reconnect (docs/sync.md): job rows carry a `seq`; a client's inbox asks
 * for the rows after the last one it saw (`jobsAfter`) and gets exactly what changed while its
 * socket was down — or its whole visible set, when it has no cursor or is not a manager.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, openInbox, startTestServer, waitFor, type InboxClient, type TestServer, type TestUser } from './helpers/server.js';

/** Sends a sync with a job cursor and waits for its `jobs` answer (and the backlog, if asked). */
async function syncJobs(inbox: InboxClient, jobsAfter: number, after?: number) {
  const from = inbox.messages.length;
  inbox.provider.sendStateless(JSON.stringify({ type: 'sync', jobsAfter, ...(after === undefined ? {} : { after }) }));
  await waitFor(() => inbox.messages.slice(from).some((m) => m.type === 'jobs'), 5000, 'jobs reply');
  if (after !== undefined) await waitFor(() => inbox.messages.slice(from).some((m) => m.type === 'backlog'), 5000, 'backlog reply');
  const fresh = inbox.messages.slice(from);
  return { jobs: fresh.find((m) => m.type === 'jobs'), backlog: fresh.find((m) => m.type === 'backlog') };
}

describe('inbox catch-up of job rows', () => {
  let t: TestServer;
  let boss: TestUser, theo: TestUser, ana: TestUser, kim: TestUser;
  beforeAll(async () => {
    t = await startTestServer();
    boss = await createUser(t.pitboard, 'manager');
    theo = await createUser(t.pitboard, 'mechanic');
    ana = await createUser(t.pitboard, 'mechanic');
    kim = await createUser(t.pitboard, 'customer');
  });
  afterAll(() => t.stop());

  it('a manager who reconnects gets every row changed while away — ticks, stuck, collected — and nothing else', async () => {
    const manager = api(t.url, boss.token);
    const mk = async (bike: string) => (await manager.post('/api/jobs', { bike, customerId: kim.id, items: ['A', 'B', 'C', 'D'], mechanicId: theo.id })).body;
    const [quiet, ticked, gone] = [await mk('Quiet'), await mk('Ticked'), await mk('Gone')];

    const first = await openInbox(t.wsUrl, boss);
    const full = (await syncJobs(first, 0)).jobs;
    expect(full.full).toBe(true);
    expect(full.jobs.map((j: any) => j.id)).toEqual(expect.arrayContaining([quiet.id, ticked.id, gone.id]));
    const cursor = full.cursor;
    first.close();

    // While the manager's socket is down: two ticks and a stuck report; one job collected.
    const view = (await manager.get(`/api/jobs/${ticked.id}`)).body;
    const mech = api(t.url, theo.token);
    await mech.post(`/api/jobs/${ticked.id}/items/${view.items[0].id}`, { done: true });
    await mech.post(`/api/jobs/${ticked.id}/items/${view.items[1].id}`, { done: true });
    expect((await mech.post(`/api/mechanic/repair/${ticked.id}/stuck`, { reason: 'Seized bolt' })).status).toBeLessThan(300);
    await manager.post(`/api/jobs/${gone.id}/collect`);
    await t.pitboard.projector.idle();

    const second = await openInbox(t.wsUrl, boss);
    const { jobs, backlog } = await syncJobs(second, cursor, 0);
    expect(jobs.full).toBe(false);
    const byId = new Map(jobs.jobs.map((j: any) => [j.id, j]));
    expect(byId.get(ticked.id)).toMatchObject({ status: 'stuck', progress: { done: 2, total: 4 }, stuckReason: 'Seized bolt' });
    expect(byId.get(gone.id)).toMatchObject({ status: 'collected' });
    expect(byId.has(quiet.id)).toBe(false);
    expect(jobs.jobs.every((j: any) => j.seq > cursor)).toBe(true);
    expect(jobs.cursor).toBe(Math.max(...jobs.jobs.map((j: any) => j.seq)));
    expect([...backlog.notifications].some((n: any) => n.kind === 'stuck' && n.jobId === ticked.id)).toBe(true);

    // Caught up: asking again from the new cursor brings nothing.
    const again = (await syncJobs(second, jobs.cursor)).jobs;
    expect(again).toMatchObject({ jobs: [], full: false, more: false, cursor: jobs.cursor });
    second.close();
  });

  it('a live row carries the seq a catch-up would have given it', async () => {
    const inbox = await openInbox(t.wsUrl, boss);
    const { body } = await api(t.url, boss.token).post('/api/jobs', { bike: 'Seq', customerId: kim.id, items: ['A'] });
    await waitFor(() => inbox.messages.some((m) => m.type === 'job' && m.job.id === body.id), 3000, 'live row');
    const live = inbox.messages.filter((m) => m.type === 'job' && m.job.id === body.id).at(-1).job;
    expect(live.seq).toBeGreaterThan(0);
    expect(live.seq).toBe((await t.pitboard.storage.getJob(body.id))!.seq);
    inbox.close();
  });

  it('a mechanic always gets the whole list: a job taken away while offline is simply not in it', async () => {
    const manager = api(t.url, boss.token);
    const kept = (await manager.post('/api/jobs', { bike: 'Kept', customerId: kim.id, items: ['A'], mechanicId: ana.id })).body;
    const taken = (await manager.post('/api/jobs', { bike: 'Taken', customerId: kim.id, items: ['A'], mechanicId: ana.id })).body;
    const inbox = await openInbox(t.wsUrl, ana);
    const before = (await syncJobs(inbox, 0)).jobs;
    expect(before.jobs.map((j: any) => j.id).sort()).toEqual([kept.id, taken.id].sort());
    inbox.close();
    await manager.post(`/api/jobs/${taken.id}/assign`, { mechanicId: theo.id });
    await t.pitboard.projector.idle();
    const back = await openInbox(t.wsUrl, ana);
    const after = (await syncJobs(back, before.cursor)).jobs;
    expect(after.full).toBe(true);
    expect(after.jobs.map((j: any) => j.id)).toEqual([kept.id]);
    back.close();
  });

  it('a customer gets their bikes, collected too, without staff fields', async () => {
    const other = await createUser(t.pitboard, 'customer');
    const manager = api(t.url, boss.token);
    const mine = (await manager.post('/api/jobs', { bike: 'Mine', customerId: other.id, items: ['A'], mechanicId: theo.id })).body;
    const inbox = await openInbox(t.wsUrl, other);
    const { jobs } = await syncJobs(inbox, 123456);
    expect(jobs.full).toBe(true);
    expect(jobs.jobs).toHaveLength(1);
    expect(jobs.jobs[0]).toMatchObject({ id: mine.id, bike: 'Mine' });
    expect(jobs.jobs[0].customerName).toBeUndefined();
    expect(jobs.jobs[0].stuckReason).toBeUndefined();
    inbox.close();
  });

  it('a sync with only jobsAfter sends no backlog; a plain sync (older clients) no job rows', async () => {
    const inbox = await openInbox(t.wsUrl, boss);
    const a = await syncJobs(inbox, 0);
    expect(a.backlog).toBeUndefined();
    const from = inbox.messages.length;
    inbox.sync(0);
    await waitFor(() => inbox.messages.slice(from).some((m) => m.type === 'backlog'), 3000, 'backlog');
    await new Promise((r) => setTimeout(r, 100));
    expect(inbox.messages.slice(from).some((m) => m.type === 'jobs')).toBe(false);
    inbox.close();
  });

  it('requestResync asks every inbox connection on the instance to sync again', async () => {
    const inboxes = await Promise.all([boss, theo, kim].map((u) => openInbox(t.wsUrl, u)));
    expect(t.pitboard.inbox.requestResync()).toBe(3);
    await waitFor(() => inboxes.every((i) => i.messages.some((m) => m.type === 'resync')), 3000, 'resync on every inbox');
    for (const i of inboxes) i.close();
  });
});
