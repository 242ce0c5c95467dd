/**
 * E13: managers are told once per job and promised time that a job is overdue — by a timer
 * that survives restarts (its state is in storage) and fires once across instances (the
 * `overdue_alerts` claim is in the notifications' transaction). PostgreSQL when
 * TEST_DATABASE_URL is set, else one SQLite file shared by both instances.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { api, createUser, openInbox, startTestServer, testDatabase, waitFor, type TestDatabase, type TestServer, type TestUser } from './helpers/server.js';

const HOUR = 3_600_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe('notifications: overdue, once per job and promised time', () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop();
  });
  const start = async (db: TestDatabase, overdueCheckMs: number) => {
    const s = await startTestServer({ db, config: { overdueCheckMs } });
    servers.push(s);
    return s;
  };
  const overdueOf = async (t: TestServer, user: TestUser, jobId: string) =>
    ((await api(t.url, user.token).get('/api/notifications')).body as { kind: string; jobId: string; title: string; body: string; resolvedAt: string | null }[]).filter(
      (n) => n.kind === 'overdue' && n.jobId === jobId
    );

  it('E13: told live to every manager, once, while the timer keeps running; nothing for jobs not due or ready', async () => {
    const db = await testDatabase();
    const t = await start(db, 30);
    const [boss, deputy] = [await createUser(t.pitboard, 'manager'), await createUser(t.pitboard, 'manager')];
    const theo = await createUser(t.pitboard, 'mechanic');
    const inbox = await openInbox(t.wsUrl, boss);
    const late = (await api(t.url, boss.token).post('/api/jobs', { bike: 'Late bike', customer: { name: 'C' }, items: ['A'], mechanicId: theo.id, promisedAt: ago(HOUR) })).body;
    const future = (await api(t.url, boss.token).post('/api/jobs', { bike: 'B', customer: { name: 'C' }, items: ['A'], promisedAt: new Date(Date.now() + HOUR).toISOString() })).body;
    await waitFor(() => [...inbox.notifications().values()].some((n) => n.kind === 'overdue' && n.jobId === late.id), 5000, 'live overdue alert');
    // Several more scans.
    for (let i = 0; i < 3; i++) await t.pitboard.overdue.check();
    expect(await overdueOf(t, boss, late.id)).toHaveLength(1);
    expect(await overdueOf(t, deputy, late.id)).toHaveLength(1);
    expect((await overdueOf(t, boss, late.id))[0]!.title).toBe(`Overdue: #${late.number} Late bike`);
    expect(await overdueOf(t, boss, future.id)).toHaveLength(0);
    expect(await overdueOf(t, theo, late.id)).toHaveLength(0);
    inbox.close();
  });

  it('E13/E9: a new promised time that passes tells again once; the job turning ready resolves the alert and stops them', async () => {
    const db = await testDatabase();
    const t = await start(db, 0);
    const boss = await createUser(t.pitboard, 'manager');
    const theo = await createUser(t.pitboard, 'mechanic');
    const job = (await api(t.url, boss.token).post('/api/jobs', { bike: 'B', customer: { name: 'C' }, items: ['A'], mechanicId: theo.id, promisedAt: ago(2 * HOUR) })).body;
    expect(await t.pitboard.overdue.check()).toBe(1);
    const res = await fetch(`${t.url}/api/jobs/${job.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${boss.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ promisedAt: ago(HOUR) }) });
    expect(res.status).toBe(200);
    expect(await t.pitboard.overdue.check()).toBe(1);
    expect(await t.pitboard.overdue.check()).toBe(0);
    const alerts = await overdueOf(t, boss, job.id);
    expect(alerts).toHaveLength(2);
    // The first promise was replaced: its alert is moot (E9); the second still stands.
    expect(alerts.filter((n) => n.resolvedAt !== null)).toHaveLength(1);
    const itemId = (await api(t.url, boss.token).get(`/api/jobs/${job.id}`)).body.items[0].id;
    await api(t.url, theo.token).post(`/api/jobs/${job.id}/items/${itemId}`, { done: true });
    await api(t.url, boss.token).post(`/api/jobs/${job.id}/qc`, { pass: true });
    expect((await overdueOf(t, boss, job.id)).every((n) => n.resolvedAt !== null)).toBe(true);
    // Ready: promising an earlier time again announces nothing.
    await fetch(`${t.url}/api/jobs/${job.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${boss.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ promisedAt: ago(3 * HOUR) }) });
    expect(await t.pitboard.overdue.check()).toBe(0);
  });

  it('E13 across a restart: due while no server ran → told at the next start; told before → not again', async () => {
    const db = await testDatabase();
    const first = await start(db, 0);
    const boss = await createUser(first.pitboard, 'manager');
    const before = (await api(first.url, boss.token).post('/api/jobs', { bike: 'Told before', customer: { name: 'C' }, items: ['A'], promisedAt: ago(HOUR) })).body;
    expect(await first.pitboard.overdue.check()).toBe(1);
    const meanwhile = (await api(first.url, boss.token).post('/api/jobs', { bike: 'Due meanwhile', customer: { name: 'C' }, items: ['A'], promisedAt: new Date(Date.now() + 300).toISOString() })).body;
    await servers.splice(0)[0]!.stop();
    await new Promise((r) => setTimeout(r, 400));
    // The next start scans at once (interval 50 ms) and then keeps scanning.
    const second = await start(db, 50);
    await waitFor(async () => (await overdueOf(second, boss, meanwhile.id)).length === 1, 5000, 'alert after the restart');
    for (let i = 0; i < 3; i++) await second.pitboard.overdue.check();
    expect(await overdueOf(second, boss, meanwhile.id)).toHaveLength(1);
    expect(await overdueOf(second, boss, before.id)).toHaveLength(1);
  });

  it('E13 across two instances on one database: both scanning at once tell each manager once', async () => {
    const db = await testDatabase();
    const a = await start(db, 0);
    const b = await start(db, 0);
    const boss = await createUser(a.pitboard, 'manager');
    const deputy = await createUser(b.pitboard, 'manager');
    const jobs = [];
    for (let i = 0; i < 5; i++) jobs.push((await api(a.url, boss.token).post('/api/jobs', { bike: `Bike ${i}`, customer: { name: 'C' }, items: ['A'], promisedAt: ago(HOUR + i) })).body);
    // (Within one instance scans never overlap: a second check() joins the running one.)
    const counts = await Promise.all([a.pitboard.overdue.check(), b.pitboard.overdue.check()]);
    // Every (job, manager) pair stored exactly once, by whichever instance claimed the job.
    expect(counts.reduce((x, y) => x + y, 0)).toBe(jobs.length * 2);
    for (const job of jobs) {
      expect(await overdueOf(a, boss, job.id)).toHaveLength(1);
      expect(await overdueOf(b, deputy, job.id)).toHaveLength(1);
    }
    expect(await a.pitboard.overdue.check()).toBe(0);
    expect(await b.pitboard.overdue.check()).toBe(0);
  });
});
