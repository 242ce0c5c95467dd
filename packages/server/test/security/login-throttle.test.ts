/**
 * Class 2: sign-in lockout and the proxy. Guessing a password from one address stops that
 * address, not the account's owner (another address, or their device cookie); behind a trusted
 * proxy each client has its own address budget; X-Forwarded-For from anyone else is ignored;
 * with Redis, instances share the budgets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/auth/users.js';
import { api, startTestServer, testDatabase, type TestServer } from '../helpers/server.js';

const PASSWORD = 'correct horse';
let n = 0;
const unique = (what: string) => `${what}-${Date.now().toString(36)}-${++n}@t.dev`;
/** A fresh documentation-range address, so runs never share a budget in a shared Redis. */
const someAddress = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;

function login(t: TestServer, email: string, password: string, headers: Record<string, string> = {}) {
  return api(t.url).post('/api/auth/login', { email, password }, headers);
}
const from = (address: string, extra: Record<string, string> = {}) => ({ 'x-forwarded-for': address, ...extra });
const deviceOf = (r: { headers: Headers }) => /(?:^|,\s*)device=([^;]+)/.exec(r.headers.getSetCookie().join(', '))?.[1];

describe('security: no one can lock a user out of signing in', () => {
  let t: TestServer;
  beforeAll(async () => {
    // nginx on this machine is the trusted proxy: it appends the client's address.
    t = await startTestServer({ env: { TRUST_PROXY: '127.0.0.1', LOGIN_LIMIT_PER_ACCOUNT: '5', LOGIN_LIMIT_PER_ADDRESS: '20' } });
  });
  afterAll(() => t.stop());

  it('an attacker exhausting the budget for an account from X is refused there; the owner still signs in from Y', async () => {
    const email = unique('owner');
    await addUser(t.pitboard.storage, { role: 'mechanic', email, name: 'Owner', password: PASSWORD });
    const attacker = '203.0.113.7';
    for (let i = 0; i < 5; i++) expect((await login(t, email, `guess-${i}`, from(attacker))).status).toBe(401);
    const refused = await login(t, email, 'guess-5', from(attacker));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // The right password does not help the attacker's address either.
    expect((await login(t, email, PASSWORD, from(attacker))).status).toBe(429);

    const owner = await login(t, email, PASSWORD, from('198.51.100.20'));
    expect(owner.status).toBe(200);
    expect(owner.body.user.email).toBe(email);
    // A wrong password from the owner's address is still just a wrong password.
    expect((await login(t, email, 'typo', from('198.51.100.20'))).status).toBe(401);
  });

  it('the owner’s device cookie lets them in even from the attacker’s address', async () => {
    const email = unique('device');
    await addUser(t.pitboard.storage, { role: 'manager', email, name: 'Device', password: PASSWORD });
    const shared = '203.0.113.50'; // e.g. the café Wi-Fi both use
    const first = await login(t, email, PASSWORD, from(shared));
    expect(first.status).toBe(200);
    const device = deviceOf(first);
    expect(device).toBeTruthy();
    expect(first.headers.getSetCookie().find((c) => c.startsWith('device='))).toMatch(/HttpOnly/);

    for (let i = 0; i < 5; i++) await login(t, email, `guess-${i}`, from(shared));
    expect((await login(t, email, PASSWORD, from(shared))).status).toBe(429);
    const withCookie = await login(t, email, PASSWORD, from(shared, { cookie: `device=${device}` }));
    expect(withCookie.status).toBe(200);
    // A cookie made up by the attacker counts for nothing.
    expect((await login(t, email, PASSWORD, from(shared, { cookie: `device=${device!.slice(0, 10)}.forged` }))).status).toBe(429);
  });

  it('behind the trusted proxy one client spraying accounts does not lock out the others (each address has its own budget)', async () => {
    const sprayer = '203.0.113.99';
    let last = 0;
    for (let i = 0; i < 25; i++) last = (await login(t, unique('sprayed'), 'whatever-1', from(sprayer))).status;
    expect(last).toBe(429);
    const email = unique('colleague');
    await addUser(t.pitboard.storage, { role: 'mechanic', email, name: 'Colleague', password: PASSWORD });
    expect((await login(t, email, 'typo', from('198.51.100.77'))).status).toBe(401);
    expect((await login(t, email, PASSWORD, from('198.51.100.77'))).status).toBe(200);
  });

  it('the client address is the right-most hop that is not a trusted proxy: a forged left part changes nothing', async () => {
    const real = '203.0.113.150';
    let last = 0;
    for (let i = 0; i < 25; i++) last = (await login(t, unique('forge'), 'whatever-1', from(`10.9.${i}.1, ${real}`))).status;
    expect(last).toBe(429);
    expect((await login(t, unique('forge'), 'whatever-1', from(`192.0.2.1, ${real}`))).status).toBe(429);
  });
});

describe('security: X-Forwarded-For from an untrusted peer is ignored', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { LOGIN_LIMIT_PER_ACCOUNT: '5', LOGIN_LIMIT_PER_ADDRESS: '6' } });
  });
  afterAll(() => t.stop());

  it('a client cannot get a fresh budget by writing a new X-Forwarded-For each time', async () => {
    let last = 0;
    for (let i = 0; i < 8; i++) last = (await login(t, unique('nope'), 'whatever-1', from(`192.0.2.${i + 1}`))).status;
    expect(last).toBe(429);
  });
});

describe.runIf(!!process.env.REDIS_URL)('security: with REDIS_URL, instances share the sign-in budgets', () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
  });

  it('failures on instance A count on instance B', async () => {
    const db = await testDatabase();
    const env = { REDIS_URL: process.env.REDIS_URL!, TRUST_PROXY: '127.0.0.1', LOGIN_LIMIT_PER_ACCOUNT: '5', LOGIN_LIMIT_PER_ADDRESS: '50' };
    const a = await startTestServer({ db, env });
    const b = await startTestServer({ db, env });
    servers.push(a, b);
    const email = unique('shared');
    await addUser(a.pitboard.storage, { role: 'mechanic', email, name: 'Shared', password: PASSWORD });
    const attacker = someAddress();
    for (let i = 0; i < 3; i++) expect((await login(a, email, `guess-${i}`, from(attacker))).status).toBe(401);
    for (let i = 3; i < 5; i++) expect((await login(b, email, `guess-${i}`, from(attacker))).status).toBe(401);
    expect((await login(b, email, 'guess-5', from(attacker))).status).toBe(429);
    expect((await login(a, email, 'guess-6', from(attacker))).status).toBe(429);
    // …and the owner, elsewhere, is not locked out on either.
    expect((await login(b, email, PASSWORD, from(someAddress()))).status).toBe(200);
  });
});

describe('clientAddress: TRUST_PROXY and the walk from the right', () => {
  it('believes X-Forwarded-For only from trusted proxies, and only up to the first untrusted hop', async () => {
    const { addressFrom, parseTrustProxy } = await import('../../src/http/client-address.js');
    const none = parseTrustProxy(undefined);
    const local = parseTrustProxy('127.0.0.1, 10.0.0.0/8 ::1');
    expect(addressFrom('203.0.113.1', '198.51.100.1', none)).toBe('203.0.113.1');
    expect(addressFrom('::ffff:127.0.0.1', '198.51.100.1', none)).toBe('127.0.0.1');
    expect(addressFrom('::ffff:127.0.0.1', '198.51.100.1', local)).toBe('198.51.100.1');
    expect(addressFrom('127.0.0.1', 'forged, 198.51.100.1, 10.1.2.3', local)).toBe('198.51.100.1');
    expect(addressFrom('127.0.0.1', '10.1.2.3, 10.4.5.6', local)).toBe('10.1.2.3');
    expect(addressFrom('127.0.0.1', 'not-an-address', local)).toBe('127.0.0.1');
    expect(addressFrom('::1', '2001:db8::7', local)).toBe('2001:db8::7');
    expect(addressFrom('203.0.113.9', '198.51.100.1', local)).toBe('203.0.113.9');
    expect(() => parseTrustProxy('nginx')).toThrow(/TRUST_PROXY: "nginx"/);
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/bad prefix length/);
  });
});
