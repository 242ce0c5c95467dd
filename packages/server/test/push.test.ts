/**
 * Web Push end to end: real server, real subscriptions (keys held by the test), a push service of
 * our own on 127.0.0.1 that receives what the server sends; each message is decrypted here.
 * Before this change none of these endpoints existed (404) and nothing was ever pushed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPitboard } from '../src/pitboard.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { api, createUser, startTestServer, testDatabase, type TestDatabase, type TestServer, type TestUser } from './helpers/server.js';
import { startPushEndpoint, testSubscription, type PushEndpoint, type ReceivedPush, type TestSubscription } from './helpers/push-endpoint.js';

describe('Web Push', () => {
  let db: TestDatabase;
  let t: TestServer;
  let push: PushEndpoint;
  let manager: TestUser;
  let mechanic: TestUser;
  let customer: TestUser;
  const subs: Record<string, TestSubscription> = {};
  const at = (path: string) => push.received.filter((m) => m.path === path);
  const settle = async () => {
    await t.pitboard.projector.idle();
    await t.pitboard.push.idle();
  };

  beforeAll(async () => {
    push = await startPushEndpoint();
    db = await testDatabase();
    t = await startTestServer({ db, env: { PUSH_ALLOW_HTTP: '1' } });
    manager = await createUser(t.pitboard, 'manager', 'Mona Manager');
    mechanic = await createUser(t.pitboard, 'mechanic', 'Max Mechanic');
    customer = await createUser(t.pitboard, 'customer', 'Carla Customer');
    for (const [name, user] of [['manager', manager], ['mechanic', mechanic], ['customer', customer]] as const) {
      subs[name] = testSubscription(`${push.url}/${name}`);
      const r = await api(t.url, user.token).post('/api/push/subscriptions', subs[name]!.json);
      expect(r.status).toBe(201);
    }
  });
  afterAll(async () => {
    await t.stop();
    await push.close();
  });

  it('GET /api/push/key: the VAPID public key, made on first start and kept in the database', async () => {
    const r = await api(t.url).get('/api/push/key');
    expect(r.status).toBe(200);
    expect(Buffer.from(r.body.publicKey, 'base64url')).toHaveLength(65);
    // Another instance on the same database uses the same key pair.
    const second = await createPitboard(loadConfig({ ...db.env, PITBOARD_DEMO: '0', LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv, { port: 0 }), createLogger('silent'));
    expect(second.push.publicKey).toBe(r.body.publicKey);
    await second.close();
  });

  it('bad subscriptions are refused with the reason and store nothing', async () => {
    const good = testSubscription(`${push.url}/never`).json;
    const cases: [unknown, RegExp][] = [
      [{ ...good, endpoint: 'not a url' }, /endpoint must be a URL/],
      [{ ...good, endpoint: 'ftp://push.example/x' }, /https: URL/],
      [{ ...good, keys: { p256dh: 'AAAA', auth: good.keys.auth } }, /p256dh must be 65 bytes/],
      [{ ...good, keys: { p256dh: good.keys.p256dh } }, /auth/],
      [{ endpoint: good.endpoint }, /keys/]
    ];
    for (const [body, error] of cases) {
      const r = await api(t.url, mechanic.token).post('/api/push/subscriptions', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toMatch(error);
    }
    expect((await api(t.url).post('/api/push/subscriptions', good)).status).toBe(401);
    expect((await api(t.url).post('/api/share/aaaaaaaaaaaaaaaaaaaaaaaa/push', good)).status).toBe(404);
    expect((await api(t.url, mechanic.token).del(`/api/push/subscriptions?endpoint=${encodeURIComponent(good.endpoint)}`)).status).toBe(404);
  });

  it('each role hears its own alerts once, encrypted; a customer push carries nothing internal', async () => {
    const created = await api(t.url, manager.token).post('/api/jobs', { bike: 'Brompton C Line', customerId: customer.id, items: ['Chain', 'Gears'], mechanicId: mechanic.id });
    const jobId: string = created.body.id;
    const token = created.body.shareUrl.split('/p/')[1];
    const share = testSubscription(`${push.url}/share`);
    expect((await api(t.url).post(`/api/share/${token}/push`, share.json, { origin: t.url })).status).toBe(201);
    await settle();

    // The mechanic: assigned.
    expect(at('/mechanic')).toHaveLength(1);
    const assigned = open(subs.mechanic!, at('/mechanic')[0]!);
    expect(assigned).toEqual({ kind: 'assigned', title: expect.stringContaining('Brompton'), body: expect.any(String), url: `/m/jobs/${jobId}`, tag: `assigned:${jobId}` });
    expect(at('/mechanic')[0]!.headers['content-encoding']).toBe('aes128gcm');
    expect(at('/mechanic')[0]!.headers.authorization).toMatch(/^vapid t=.+, k=.+/);

    // Internal facts the customer must never see in a push.
    const secretNote = 'INTERNAL: frame cracked near the bottom bracket';
    const secretReason = 'SECRET-STUCK waiting on the warranty claim';
    const mech = api(t.url, mechanic.token);
    expect((await mech.post(`/api/jobs/${jobId}/notes`, { text: secretNote, visibility: 'internal' })).status).toBe(201);
    expect((await mech.post(`/api/mechanic/repair/${jobId}/stuck`, { reason: secretReason })).status).toBe(200);
    await settle();
    expect(at('/manager')).toHaveLength(1);
    expect(open(subs.manager!, at('/manager')[0]!)).toMatchObject({ kind: 'stuck', url: `/board/jobs/${jobId}` });
    expect((await api(t.url, manager.token).post(`/api/manager/resolve-stuck/${jobId}`, { note: 'claim approved' })).status).toBe(200);

    const job = (await api(t.url, manager.token).get(`/api/jobs/${jobId}`)).body;
    for (const item of job.items) expect((await mech.post(`/api/jobs/${jobId}/items/${item.id}`, { done: true })).status).toBe(200);
    await settle();
    expect(at('/manager')).toHaveLength(2);
    expect(open(subs.manager!, at('/manager')[1]!)).toMatchObject({ kind: 'ready_for_qc', url: `/board/jobs/${jobId}` });
    // Progress and unstuck are inbox entries, not pushes.
    expect(at('/customer')).toHaveLength(0);
    expect(at('/mechanic')).toHaveLength(1);

    expect((await api(t.url, manager.token).post(`/api/jobs/${jobId}/qc`, { pass: true })).status).toBe(200);
    await settle();
    expect(at('/customer')).toHaveLength(1);
    const pickup = open(subs.customer!, at('/customer')[0]!) as Record<string, unknown>;
    expect(pickup).toEqual({ kind: 'ready_for_pickup', title: 'Your Brompton C Line is ready for pickup!', body: expect.any(String), url: `/c/jobs/${jobId}`, tag: `ready_for_pickup:${jobId}` });
    expect(at('/share')).toHaveLength(1);
    const sharePush = open(share, at('/share')[0]!) as Record<string, unknown>;
    expect(sharePush).toEqual({ ...pickup, url: `/p/${token}` });
    for (const leaked of [secretNote, secretReason, 'warranty', 'claim approved', mechanic.id, manager.id, 'Max Mechanic', 'Mona Manager', 'INTERNAL']) {
      expect(JSON.stringify(pickup)).not.toContain(leaked);
      expect(JSON.stringify(sharePush)).not.toContain(leaked);
    }

    // Another instance on the same database projecting the same facts stores nothing, so pushes nothing.
    const second = await createPitboard(loadConfig({ ...db.env, PITBOARD_DEMO: '0', LOG_LEVEL: 'silent', PUSH_ALLOW_HTTP: '1' } as NodeJS.ProcessEnv, { port: 0 }), createLogger('silent'));
    await second.projector.projectFacts(await t.pitboard.jobs.facts(jobId), true);
    await second.push.idle();
    await second.close();
    await settle();
    expect(push.received.map((m) => m.path).sort()).toEqual(['/customer', '/manager', '/manager', '/mechanic', '/share']);
  });

  it('a subscription the push service says is gone (410) is removed', async () => {
    const other = await createUser(t.pitboard, 'mechanic');
    const gone = testSubscription(`${push.url}/gone`);
    push.answer('/gone', 410);
    expect((await api(t.url, other.token).post('/api/push/subscriptions', gone.json)).status).toBe(201);
    await api(t.url, manager.token).post('/api/jobs', { bike: 'Surly Long Haul Trucker', customerId: customer.id, items: ['Wheel true'], mechanicId: other.id });
    await settle();
    expect(at('/gone')).toHaveLength(1);
    const r = await api(t.url, other.token).del(`/api/push/subscriptions?endpoint=${encodeURIComponent(gone.json.endpoint)}`);
    expect(r.status).toBe(404);
    // Nothing more goes to it.
    await api(t.url, manager.token).post('/api/jobs', { bike: 'Another', customerId: customer.id, items: ['x'], mechanicId: other.id });
    await settle();
    expect(at('/gone')).toHaveLength(1);
  });

  it("sign-out removes that device's subscriptions and no other device's", async () => {
    const user = await createUser(t.pitboard, 'mechanic');
    const login = await api(t.url).post('/api/auth/login', { email: user.email, password: 'correct horse' });
    const phone = testSubscription(`${push.url}/phone`);
    const tablet = testSubscription(`${push.url}/tablet`);
    expect((await api(t.url, login.body.token).post('/api/push/subscriptions', phone.json)).status).toBe(201);
    expect((await api(t.url, user.token).post('/api/push/subscriptions', tablet.json)).status).toBe(201);
    expect((await api(t.url, login.body.token).post('/api/auth/logout')).status).toBe(200);
    await api(t.url, manager.token).post('/api/jobs', { bike: 'Cube Stereo', customerId: customer.id, items: ['Fork service'], mechanicId: user.id });
    await settle();
    expect(at('/phone')).toHaveLength(0);
    expect(at('/tablet')).toHaveLength(1);
    expect((await api(t.url, user.token).del(`/api/push/subscriptions?endpoint=${encodeURIComponent(phone.json.endpoint)}`)).status).toBe(404);
    expect((await api(t.url, user.token).del(`/api/push/subscriptions?endpoint=${encodeURIComponent(tablet.json.endpoint)}`)).status).toBe(200);
  });
});

function open(sub: TestSubscription, message: ReceivedPush): unknown {
  return sub.open(message);
}
