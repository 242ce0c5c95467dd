/**
 * Two server processes on two ports against one PostgreSQL and one Redis (runs when
 * TEST_DATABASE_URL and REDIS_URL are set; .ci/run sets them): cross-instance edits, a
 * notification caused on A delivered live on B exactly once, and an instance killed with
 * kill -9 during edits whose clients move to the other and lose nothing.
 */
import { readJob, setItemDone } from '@pitboard/job-model';
import { afterEach, describe, expect, it } from 'vitest';
import { addUser } from '../src/auth/users.js';
import { api, connect, openInbox, openTestStorage, spawnServer, testDatabase, waitFor, type ChildServer, type TestDatabase } from './helpers/server.js';

const enabled = !!process.env.TEST_DATABASE_URL && !!process.env.REDIS_URL;

describe.runIf(enabled)('scale: two instances, one PostgreSQL, one Redis', () => {
  const servers: ChildServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.kill('SIGKILL');
  });

  async function cluster() {
    const db: TestDatabase = await testDatabase();
    const storage = await openTestStorage(db);
    await addUser(storage, { role: 'manager', email: 'boss@t.dev', name: 'Boss', password: 'correct horse' });
    await addUser(storage, { role: 'mechanic', email: 'theo@t.dev', name: 'Theo', password: 'correct horse' });
    await storage.close();
    const env = { REDIS_URL: process.env.REDIS_URL! };
    const a = await spawnServer(db, env);
    const b = await spawnServer(db, env);
    servers.push(a, b);
    const login = async (s: ChildServer, email: string) => (await api(s.url).post('/api/auth/login', { email, password: 'correct horse' })).body;
    return { a, b, boss: await login(a, 'boss@t.dev'), theo: await login(a, 'theo@t.dev') };
  }

  it('clients on the same job through different instances see each other live', async () => {
    const { a, b, boss, theo } = await cluster();
    const { body } = await api(a.url, boss.token).post('/api/jobs', { bike: 'Scale', customer: { name: 'C' }, items: ['A', 'B', 'C'], mechanicId: theo.user.id });
    const onA = await connect(a.wsUrl, `job:${body.id}`, theo.token);
    const onB = await connect(b.wsUrl, `job:${body.id}`, boss.token);
    const started = performance.now();
    setItemDone(onA.doc, readJob(onA.doc).items[0]!.id, true, theo.user.id, new Date().toISOString());
    await waitFor(() => readJob(onB.doc).items[0]!.done, 5000, 'edit on A seen on B');
    console.log(`cross-instance edit latency: ${(performance.now() - started).toFixed(1)} ms`);
    onB.doc.getMap('job').set('description', 'from B');
    await waitFor(() => readJob(onA.doc).description === 'from B', 5000, 'edit on B seen on A');
    onA.close();
    onB.close();
  });

  it('a notification caused on A reaches its recipient on B live, exactly once', async () => {
    const { a, b, boss, theo } = await cluster();
    const inbox = await openInbox(b.wsUrl, { id: boss.user.id, role: 'manager', email: 'boss@t.dev', token: boss.token });
    const { body } = await api(a.url, boss.token).post('/api/jobs', { bike: 'Scale', customer: { name: 'C' }, items: ['A'], mechanicId: theo.user.id });
    const m = await connect(a.wsUrl, `job:${body.id}`, theo.token);
    // Also open on B, so both instances hold the document and both run the engine.
    const watcher = await connect(b.wsUrl, `job:${body.id}`, boss.token);
    setItemDone(m.doc, readJob(m.doc).items[0]!.id, true, theo.user.id, new Date().toISOString());
    await waitFor(() => inbox.messages.some((x) => x.type === 'notification' && x.notification.kind === 'ready_for_qc'), 5000, 'alert on B');
    await new Promise((r) => setTimeout(r, 500));
    expect(inbox.messages.filter((x) => x.type === 'notification' && x.notification.kind === 'ready_for_qc')).toHaveLength(1);
    const list = (await api(b.url, boss.token).get('/api/notifications')).body;
    expect(list.filter((n: { kind: string }) => n.kind === 'ready_for_qc')).toHaveLength(1);
    for (const c of [m, watcher, inbox]) c.close();
  });

  it('kill -9 of one instance during edits: its clients move to the other and lose nothing', async () => {
    const { a, b, boss, theo } = await cluster();
    const items = Array.from({ length: 30 }, (_, i) => `Item ${i}`);
    const { body } = await api(a.url, boss.token).post('/api/jobs', { bike: 'Scale', customer: { name: 'C' }, items, mechanicId: theo.user.id });
    const onA = await connect(a.wsUrl, `job:${body.id}`, theo.token);
    const ids = readJob(onA.doc).items.map((i) => i.id);
    for (const id of ids.slice(0, 15)) setItemDone(onA.doc, id, true, theo.user.id, new Date().toISOString());
    await onA.settled();
    await a.kill('SIGKILL');
    onA.close();
    // The same replica reconnects to B and goes on editing.
    const again = await connect(b.wsUrl, `job:${body.id}`, theo.token, onA.doc);
    for (const id of ids.slice(15)) setItemDone(again.doc, id, true, theo.user.id, new Date().toISOString());
    await again.settled();
    again.close();
    const view = (await api(b.url, boss.token).get(`/api/jobs/${body.id}`)).body;
    expect(view.items.filter((i: { done: boolean }) => i.done)).toHaveLength(30);
    expect(view.status).toBe('quality_check');
  });
});
