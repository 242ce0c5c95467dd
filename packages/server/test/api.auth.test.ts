import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../src/auth/users.js';
import { api, startTestServer, type TestServer } from './helpers/server.js';

describe('API: sign in and out (Lucia sessions)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { LOGIN_LIMIT_PER_ACCOUNT: '5', LOGIN_LIMIT_PER_ADDRESS: '40' } });
    await addUser(t.pitboard.storage, { role: 'manager', email: 'boss@shop.dev', name: 'Boss', password: 'correct horse' });
    await addUser(t.pitboard.storage, { role: 'mechanic', email: 'slow@shop.dev', name: 'Slow', password: 'correct horse' });
  });
  afterAll(() => t.stop());

  it('login returns a token, the user and an HttpOnly SameSite=Lax session cookie', async () => {
    const r = await api(t.url).post('/api/auth/login', { email: 'BOSS@shop.dev', password: 'correct horse' });
    expect(r.status).toBe(200);
    expect(r.body.user).toEqual({ id: expect.any(String), name: 'Boss', email: 'boss@shop.dev', role: 'manager' });
    expect(r.body.token).toMatch(/^[a-z2-7]+\.[a-z2-7]+$/);
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
  });

  it('the token works as Bearer and as the cookie; the secret is stored only as its hash', async () => {
    const { body } = await api(t.url).post('/api/auth/login', { email: 'boss@shop.dev', password: 'correct horse' });
    expect((await api(t.url, body.token).get('/api/me')).body.email).toBe('boss@shop.dev');
    expect((await api(t.url).get('/api/me/', { cookie: `session=${body.token}` })).body.email).toBe('boss@shop.dev');
    const [id, secret] = body.token.split('.');
    const stored = await t.pitboard.storage.getSession(id);
    expect(Buffer.from(stored!.session.secretHash).toString()).not.toContain(secret);
    expect(stored!.session.secretHash).toHaveLength(32);
  });

  it('wrong password, unknown account and bad input are refused without a session', async () => {
    expect((await api(t.url).post('/api/auth/login', { email: 'boss@shop.dev', password: 'wrong' })).status).toBe(401);
    const unknown = await api(t.url).post('/api/auth/login', { email: 'nobody@shop.dev', password: 'whatever1' });
    expect(unknown).toMatchObject({ status: 401, body: { error: 'wrong email or password' } });
    expect((await api(t.url).post('/api/auth/login', { email: 'boss@shop.dev' })).body).toEqual({ error: 'password is required' });
    expect((await api(t.url).post('/api/auth/login', 'not json')).body).toEqual({ error: 'body is not valid JSON' });
    expect((await api(t.url).post('/api/auth/login', '[1]')).status).toBe(400);
  });

  it('logout ends the session; the token no longer works', async () => {
    const { body } = await api(t.url).post('/api/auth/login', { email: 'boss@shop.dev', password: 'correct horse' });
    const out = await api(t.url, body.token).post('/api/auth/logout/');
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect(await api(t.url, body.token).get('/api/me')).toMatchObject({ status: 401, body: { error: 'invalid session token' } });
    expect((await api(t.url).post('/api/auth/logout')).status).toBe(401);
  });

  it('login is rate-limited per account, with Retry-After', async () => {
    for (let i = 0; i < 5; i++) await api(t.url).post('/api/auth/login', { email: 'slow@shop.dev', password: 'wrong' });
    const limited = await api(t.url).post('/api/auth/login', { email: 'slow@shop.dev', password: 'correct horse' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('successful sign-ins do not use up the budgets (a workshop shares one address)', async () => {
    for (let i = 0; i < 60; i++) {
      expect((await api(t.url).post('/api/auth/login', { email: 'boss@shop.dev', password: 'correct horse' })).status).toBe(200);
    }
  });

  it('login is rate-limited per address', async () => {
    let last = 0;
    for (let i = 0; i < 45; i++) last = (await api(t.url).post('/api/auth/login', { email: `x${i}@shop.dev`, password: 'wrong-one' })).status;
    expect(last).toBe(429);
  });

  it('a cross-site browser POST is refused (CSRF)', async () => {
    const r = await api(t.url).post('/api/auth/login', { email: 'boss@shop.dev', password: 'correct horse' }, { origin: 'https://evil.example' });
    expect(r).toMatchObject({ status: 403, body: { error: 'cross-site request refused' } });
  });

  it('unknown endpoints and methods answer JSON errors', async () => {
    expect(await api(t.url).get('/api/nope')).toMatchObject({ status: 404, body: { error: 'no such endpoint' } });
    expect((await api(t.url).del('/api/me')).status).toBe(405);
    expect((await api(t.url).get('/healthz')).status).toBe(200);
  });

  it('an oversized body is refused with 413', async () => {
    const big = JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(2 * 1024 * 1024) });
    expect((await api(t.url).post('/api/auth/login', big)).status).toBe(413);
  });
});
