/**
 * One instance with REDIS_URL on a Redis of the test's own (runs wherever the redis-server
 * binary is; no PostgreSQL needed): /healthz and /metrics follow the relay down and back up,
 * and its inboxes are told to ask again once it is back. The two-instance convergence is in
 * scale.redis-outage.test.ts (services suite).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { haveRedisServer, startOwnRedis, type OwnRedis } from './helpers/redis.js';
import { api, createUser, openInbox, startTestServer, waitFor, type Client, type TestServer } from './helpers/server.js';

describe.skipIf(!haveRedisServer)(`scale: the relay's health${haveRedisServer ? '' : ' (skipped: needs the redis-server binary)'}`, () => {
  let redis: OwnRedis | null = null;
  let server: TestServer | null = null;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server?.stop();
    await redis?.stop();
    server = redis = null;
  });

  it('/healthz is 503 degraded with a reason while Redis is down, 200 again after; inboxes get {type:resync}', async () => {
    redis = await startOwnRedis();
    server = await startTestServer({ env: { REDIS_URL: redis.url, REDIS_PREFIX: `relay-${Date.now().toString(36)}` } });
    const health = async () => api(server!.url).get('/healthz');
    const gauge = async () => /^pitboard_redis_relay_up (\d)$/m.exec((await api(server!.url).get('/metrics')).body)?.[1];
    await waitFor(async () => (await health()).status === 200, 20_000, 'healthy');
    expect((await health()).body).toEqual({ ok: true, status: 'ok', checks: { storage: { ok: true }, relay: { ok: true } } });
    expect(await gauge()).toBe('1');
    const inbox = await openInbox(server.wsUrl, await createUser(server.pitboard, 'manager'));
    clients.push(inbox);

    await redis.stop();
    await waitFor(async () => (await health()).status === 503, 20_000, 'degraded');
    const { body } = await health();
    expect(body).toMatchObject({ ok: false, status: 'degraded', checks: { relay: { ok: false } } });
    expect(body.checks.relay.reason).toMatch(/^redis unreachable since \d{4}-\d\d-\d\dT[\d:.]+Z/);
    expect(body.error).toBe(`relay: ${body.checks.relay.reason}`);
    expect(await gauge()).toBe('0');
    expect(inbox.messages.filter((m) => m.type === 'resync')).toEqual([]);

    await redis.start();
    await waitFor(async () => (await health()).status === 200, 30_000, 'healthy again');
    expect(await gauge()).toBe('1');
    expect((await api(server.url).get('/metrics')).body).toMatch(/^pitboard_redis_relay_recoveries_total 1$/m);
    await waitFor(() => inbox.messages.some((m) => m.type === 'resync'), 10_000, 'a resync message');
    expect(inbox.closes).toEqual([]);
  });
});

describe('scale: /healthz without Redis', () => {
  it('has no relay check', async () => {
    const server = await startTestServer();
    try {
      expect((await api(server.url).get('/healthz')).body).toEqual({ ok: true, status: 'ok', checks: { storage: { ok: true } } });
    } finally {
      await server.stop();
    }
  });
});
