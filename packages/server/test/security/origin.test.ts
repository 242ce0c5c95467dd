/**
 * Class 10, Origin checks for cookie authentication: a state-changing API request or a
 * `/collab` socket that signs in with the session cookie must come from our own pages
 * (Origin = PUBLIC_URL's origin or the Host it was sent to, or Sec-Fetch-Site: same-origin).
 * Bearer-token clients are unaffected.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connect, createUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.js';

const PUBLIC = 'https://workshop.example';
let t: TestServer;
let manager: TestUser;
beforeAll(async () => {
  t = await startTestServer({ env: { PUBLIC_URL: PUBLIC } });
  manager = await createUser(t.pitboard, 'manager');
});
afterAll(() => t.stop());

const newJob = { bike: 'Origin test', customer: { name: 'Ola' }, items: ['Chain'] };

/** A socket that signs in with the cookie (the provider's token is the 'cookie' placeholder). */
function cookieSocket(headers: Record<string, string>): Promise<'synced' | string> {
  class Socket extends WebSocket {
    constructor(url: string) {
      super(url, { headers: { cookie: `session=${manager.token}`, ...headers } });
    }
  }
  const socket = new HocuspocusProviderWebsocket({ url: t.wsUrl, WebSocketPolyfill: Socket, maxAttempts: 1 });
  return new Promise((resolve) => {
    const provider = new HocuspocusProvider({
      websocketProvider: socket,
      name: `inbox:${manager.id}`,
      token: 'cookie',
      onSynced: () => done('synced'),
      onAuthenticationFailed: ({ reason }) => done(reason)
    });
    const done = (r: string) => {
      provider.destroy();
      socket.destroy();
      resolve(r);
    };
    provider.attach();
  });
}

describe('class 10: Origin checks for cookie-authenticated API writes', () => {
  const cookie = () => ({ cookie: `session=${manager.token}` });

  it('refuses a cookie-authenticated write with no Origin and no Sec-Fetch-Site', async () => {
    const r = await api(t.url).post('/api/jobs', newJob, cookie());
    expect(r).toMatchObject({ status: 403, body: { error: 'cross-site request refused' } });
  });

  it('refuses one from another site (Origin or Sec-Fetch-Site)', async () => {
    expect((await api(t.url).post('/api/jobs', newJob, { ...cookie(), origin: 'https://evil.example' })).status).toBe(403);
    expect((await api(t.url).post('/api/jobs', newJob, { ...cookie(), 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await api(t.url).post('/api/jobs', newJob, { ...cookie(), 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await api(t.url).post('/api/jobs', newJob, { ...cookie(), origin: 'null' })).status).toBe(403);
  });

  it('accepts one from our own pages: PUBLIC_URL origin, the Host it came to, or Sec-Fetch-Site: same-origin', async () => {
    expect((await api(t.url).post('/api/jobs', newJob, { ...cookie(), origin: PUBLIC })).status).toBe(201);
    expect((await api(t.url).post('/api/jobs', newJob, { ...cookie(), origin: t.url })).status).toBe(201);
    expect((await api(t.url).post('/api/jobs', newJob, { ...cookie(), 'sec-fetch-site': 'same-origin' })).status).toBe(201);
  });

  it('leaves Bearer-token clients (scripts, no cookie) alone', async () => {
    expect((await api(t.url, manager.token).post('/api/jobs', newJob)).status).toBe(201);
  });
});

describe('class 10: Origin checks for /collab sockets signed in by cookie', () => {
  it('refuses a cookie-authenticated socket from another site or with no Origin', async () => {
    expect(await cookieSocket({ origin: 'https://evil.example' })).toBe('4403 cross_site: cross-site connection refused');
    expect(await cookieSocket({})).toBe('4403 cross_site: cross-site connection refused');
  });

  it('accepts one from our own pages, and token clients without any Origin', async () => {
    expect(await cookieSocket({ origin: PUBLIC })).toBe('synced');
    expect(await cookieSocket({ origin: t.url })).toBe('synced');
    const client = await connect(t.wsUrl, `inbox:${manager.id}`, manager.token);
    client.close();
  });
});
