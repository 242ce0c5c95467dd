import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connect, createUser, startTestServer, type TestServer, type TestUser } from './helpers/server.js';

describe('sync: who may open which document (SPEC P8)', () => {
  let t: TestServer;
  let manager: TestUser;
  let assigned: TestUser;
  let other: TestUser;
  let customer: TestUser;
  let jobId: string;
  const doc = () => `job:${jobId}`;

  beforeAll(async () => {
    t = await startTestServer();
    manager = await createUser(t.pitboard, 'manager');
    assigned = await createUser(t.pitboard, 'mechanic');
    other = await createUser(t.pitboard, 'mechanic');
    customer = await createUser(t.pitboard, 'customer');
    const r = await api(t.url, manager.token).post('/api/jobs', {
      bike: 'Surly LHT',
      customerId: customer.id,
      items: ['Wheel'],
      mechanicId: assigned.id
    });
    jobId = r.body.id;
  });
  afterAll(() => t.stop());

  it('refuses no token', async () => {
    await expect(connect(t.wsUrl, doc(), null)).rejects.toThrow(/refused: not signed in \[not_signed_in\]/);
  });

  it('refuses a wrong token', async () => {
    await expect(connect(t.wsUrl, doc(), 'abc.def')).rejects.toThrow(/refused: invalid session token \[invalid_session\]/);
    const [id] = manager.token.split('.');
    await expect(connect(t.wsUrl, doc(), `${id}.wrongsecret`)).rejects.toThrow(/refused: invalid session token \[invalid_session\]/);
  });

  it('refuses a signed-out session', async () => {
    const u = await createUser(t.pitboard, 'manager');
    expect((await api(t.url, u.token).post('/api/auth/logout')).status).toBe(200);
    await expect(connect(t.wsUrl, doc(), u.token)).rejects.toThrow(/refused: invalid session token \[invalid_session\]/);
  });

  it('refuses an expired session', async () => {
    const u = await createUser(t.pitboard, 'manager');
    const [id] = u.token.split('.');
    const old = new Date(Date.now() - t.pitboard.config.session.inactivityMs - 1000).toISOString();
    await t.pitboard.storage.touchSession(id!, old);
    await expect(connect(t.wsUrl, doc(), u.token)).rejects.toThrow(/refused: session expired \[session_expired\]/);
  });

  it('lets the manager and the assigned mechanic in', async () => {
    (await connect(t.wsUrl, doc(), manager.token)).close();
    (await connect(t.wsUrl, doc(), assigned.token)).close();
  });

  it('refuses another mechanic, the customer, an unknown job and an unknown document kind', async () => {
    await expect(connect(t.wsUrl, doc(), other.token)).rejects.toThrow(/not assigned to you \[not_assigned\]/);
    await expect(connect(t.wsUrl, doc(), customer.token)).rejects.toThrow(/refused: .* \[customer\]/);
    await expect(connect(t.wsUrl, 'job:doesnotexist', manager.token)).rejects.toThrow(/no such job \[no_such_job\]/);
    await expect(connect(t.wsUrl, 'secret-stuff', manager.token)).rejects.toThrow(/unknown document .*\[unknown_document\]/);
  });

  it('accepts the session cookie of the upgrade request when the provider sends no token', async () => {
    // Browsers send the HttpOnly cookie with the upgrade; the provider's token is then a placeholder.
    const WebSocket = (await import('ws')).default;
    const { HocuspocusProvider, HocuspocusProviderWebsocket } = await import('@hocuspocus/provider');
    class CookieSocket extends WebSocket {
      constructor(url: string) {
        super(url, { headers: { cookie: `session=${manager.token}`, origin: t.url } });
      }
    }
    const socket = new HocuspocusProviderWebsocket({ url: t.wsUrl, WebSocketPolyfill: CookieSocket });
    const synced = await new Promise<boolean>((resolve) => {
      const p = new HocuspocusProvider({
        websocketProvider: socket,
        name: doc(),
        token: 'cookie',
        onSynced: () => resolve(true),
        onAuthenticationFailed: () => resolve(false)
      });
      p.attach();
    });
    socket.destroy();
    expect(synced).toBe(true);
  });
});
