/**
 * A Redis outage under two instances (services suite: needs TEST_DATABASE_URL, the shared
 * storage of two instances; the test runs its own redis-server and kills it, never the shared
 * one). While the relay is down each instance says so on /healthz (503, JSON reason) and in
 * /metrics; when Redis returns, the documents open on both converge — edits made on either side
 * during the outage, on documents open before and opened during it — without any client
 * reconnecting, every inbox is told to ask again for what it missed, and a share page gets the
 * view it missed.
 */
import { readJob, setItemDone } from '@pitboard/job-model';
import { afterEach, describe, expect, it } from 'vitest';
import { addUser } from '../src/auth/users.js';
import { haveRedisServer, startOwnRedis, type OwnRedis } from './helpers/redis.js';
import { api, connect, openInbox, openTestStorage, spawnServer, testDatabase, waitFor, type ChildServer, type Client } from './helpers/server.js';

const skip = !process.env.TEST_DATABASE_URL ? 'needs TEST_DATABASE_URL (npm run test:services)' : !haveRedisServer ? 'needs the redis-server binary' : '';

describe.skipIf(!!skip)(`scale: Redis outage under two instances${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const servers: ChildServer[] = [];
  const clients: Client[] = [];
  const stops: (() => void)[] = [];
  let redis: OwnRedis | null = null;
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const stop of stops.splice(0)) stop();
    for (const s of servers.splice(0)) await s.kill('SIGKILL');
    await redis?.stop();
    redis = null;
  });

  const health = async (s: ChildServer) => api(s.url).get('/healthz');
  const relayGauge = async (s: ChildServer) => /^pitboard_redis_relay_up (\d)$/m.exec((await api(s.url).get('/metrics')).body)?.[1];

  it('degraded while Redis is down; open documents and inboxes catch up when it returns, without reconnecting', { timeout: 120_000 }, async () => {
    const t0 = Date.now();
    const mark = (what: string) => console.log(`${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    redis = await startOwnRedis();
    const db = await testDatabase();
    const storage = await openTestStorage(db);
    await addUser(storage, { role: 'manager', email: 'boss@t.dev', name: 'Boss', password: 'correct horse' });
    await addUser(storage, { role: 'mechanic', email: 'theo@t.dev', name: 'Theo', password: 'correct horse' });
    await storage.close();
    const env = { REDIS_URL: redis.url, REDIS_PREFIX: `outage-${Date.now().toString(36)}` };
    const a = await spawnServer(db, env);
    const b = await spawnServer(db, env);
    servers.push(a, b);
    const login = async (email: string) => (await api(a.url).post('/api/auth/login', { email, password: 'correct horse' })).body;
    const boss = await login('boss@t.dev');
    const theo = await login('theo@t.dev');
    const create = async () => (await api(a.url, boss.token).post('/api/jobs', { bike: 'Outage', customer: { name: 'C' }, items: ['A', 'B'], mechanicId: theo.user.id })).body;
    const newJob = async () => (await create()).id as string;
    const job1 = await newJob();
    const job2 = await newJob();
    const job3 = await newJob();
    const { id: job4, shareUrl } = await create();

    for (const s of [a, b]) await waitFor(async () => (await health(s)).status === 200, 20_000, 'both instances healthy');
    expect((await health(a)).body).toMatchObject({ ok: true, status: 'ok', checks: { relay: { ok: true } } });
    expect(await relayGauge(a)).toBe('1');

    const onA = await connect(a.wsUrl, `job:${job1}`, theo.token);
    const onB = await connect(b.wsUrl, `job:${job1}`, boss.token);
    const bossUser = { id: boss.user.id, role: 'manager' as const, email: 'boss@t.dev', token: boss.token };
    const inboxA = await openInbox(a.wsUrl, bossUser);
    const inboxB = await openInbox(b.wsUrl, bossUser);
    // job3 is open on A only: what B writes to it during the outage reaches A from storage alone.
    const job3OnA = await connect(a.wsUrl, `job:${job3}`, theo.token);
    clients.push(onA, onB, inboxA, inboxB, job3OnA);
    // A customer follows job4 on its share page, served by B; no instance holds job4 open.
    const sharePage = watchShare(`${b.url}/api/share/${shareUrl.split('/p/')[1]}/events`);
    stops.push(sharePage.stop);
    await waitFor(() => sharePage.text().includes('event: view'), 20_000, 'the share page’s first view');
    const loadedOnB = async () => /^pitboard_loaded_documents (\d+)$/m.exec((await api(b.url).get('/metrics')).body)?.[1];

    mark('cluster up');
    await redis.stop();
    for (const s of [a, b]) {
      await waitFor(async () => (await health(s)).status === 503, 20_000, 'a degraded /healthz');
      const { body } = await health(s);
      expect(body).toMatchObject({ ok: false, status: 'degraded', checks: { relay: { ok: false } } });
      expect(body.checks.relay.reason).toMatch(/^redis unreachable since \d{4}-\d\d-\d\dT/);
      expect(body.error).toMatch(/^relay: redis unreachable/);
      expect(await relayGauge(s)).toBe('0');
    }

    mark('both degraded');
    // Both sides keep serving alone: edits on an open document, a document opened now, an API write.
    setItemDone(onA.doc, readJob(onA.doc).items[0]!.id, true, theo.user.id, new Date().toISOString());
    onB.doc.getMap('job').set('description', 'written on B during the outage');
    const job2OnA = await connect(a.wsUrl, `job:${job2}`, theo.token);
    const job2OnB = await connect(b.wsUrl, `job:${job2}`, boss.token);
    clients.push(job2OnA, job2OnB);
    setItemDone(job2OnA.doc, readJob(job2OnA.doc).items[1]!.id, true, theo.user.id, new Date().toISOString());
    expect((await api(b.url, boss.token).post(`/api/jobs/${job2}/notes`, { text: 'API note on B during the outage' })).status).toBe(201);
    const loadedBefore = await loadedOnB();
    expect((await api(b.url, boss.token).post(`/api/jobs/${job3}/notes`, { text: 'written on B, closed on B' })).status).toBe(201);
    await waitFor(async () => (await loadedOnB()) === loadedBefore, 20_000, 'job3 closed again on B');
    expect((await api(a.url, boss.token).post(`/api/jobs/${job4}/notes`, { text: 'Parts ordered during the outage', visibility: 'customer' })).status).toBe(201);
    for (const c of [onA, onB, job2OnA]) await c.settled();
    expect(inboxA.messages.some((m) => m.type === 'resync')).toBe(false);

    mark('outage edits done');
    await redis.start();
    for (const s of [a, b]) await waitFor(async () => (await health(s)).status === 200, 30_000, 'healthy again');
    mark('both healthy again');
    expect(await relayGauge(b)).toBe('1');

    await waitFor(() => readJob(onA.doc).description === 'written on B during the outage', 20_000, 'B’s outage edit on A');
    await waitFor(() => readJob(onB.doc).items[0]!.done, 20_000, 'A’s outage edit on B');
    await waitFor(() => readJob(job2OnB.doc).items[1]!.done, 20_000, 'A’s edit of a document opened during the outage, on B');
    await waitFor(() => readJob(job2OnA.doc).notes.some((n) => n.text === 'API note on B during the outage'), 20_000, 'B’s API write on A');
    await waitFor(() => readJob(job3OnA.doc).notes.some((n) => n.text === 'written on B, closed on B'), 20_000, 'B’s write to a document it closed, on A');
    // A published that view while cut off; nobody holds job4 to publish it again: B's page
    // gets it from B's own catch-up.
    await waitFor(() => sharePage.text().includes('Parts ordered during the outage'), 20_000, 'the share page’s view after recovery');
    mark('converged');
    // The relay itself works again for documents opened during the outage, both ways.
    setItemDone(job2OnA.doc, readJob(job2OnA.doc).items[0]!.id, true, theo.user.id, new Date().toISOString());
    await waitFor(() => readJob(job2OnB.doc).items[0]!.done, 20_000, 'a live edit A → B after recovery');
    job2OnB.doc.getMap('job').set('description', 'live after recovery');
    await waitFor(() => readJob(job2OnA.doc).description === 'live after recovery', 20_000, 'a live edit B → A after recovery');

    for (const inbox of [inboxA, inboxB]) await waitFor(() => inbox.messages.some((m) => m.type === 'resync'), 20_000, 'a resync message');
    // Same providers, same sockets: nothing reconnected to catch up.
    for (const c of [onA, onB, inboxA, inboxB]) {
      expect(c.closes).toEqual([]);
      expect(c.socket.status).toBe('connected');
    }
  });
});

/** A share page's event stream, as text. */
function watchShare(url: string) {
  const abort = new AbortController();
  let text = '';
  void (async () => {
    const res = await fetch(url, { signal: abort.signal });
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
  })().catch(() => undefined);
  return { text: () => text, stop: () => abort.abort() };
}
