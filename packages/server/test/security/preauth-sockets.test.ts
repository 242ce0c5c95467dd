/**
 * Issue 10, class 9 (docs/security.md): sockets that never sign in. Hocuspocus queues up to
 * 5 MiB of frames per socket until a document authenticates and closes a silent socket only
 * after one to two idle timeouts (2 minutes); 400 such sockets took the server to 2 GB.
 * Must hold: a small pre-sign-in byte budget (PREAUTH_MAX_BYTES), a short deadline to sign in
 * (AUTH_DEADLINE_SECONDS), MAX_CONNECTIONS (503 beyond it), and a gauge of unauthenticated sockets.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { authFrame, updateFrame } from '../helpers/frames.js';
import { connect, createUser, startTestServer, waitFor, type TestServer, type TestUser } from '../helpers/server.js';

interface RawSocket {
  ws: WebSocket;
  closed: { code: number; reason: string } | null;
}

async function rawSocket(url: string): Promise<RawSocket> {
  const ws = new WebSocket(url);
  const socket: RawSocket = { ws, closed: null };
  ws.on('close', (code, reason) => (socket.closed = { code, reason: reason.toString() }));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return socket;
}

/** The upgrade's HTTP answer when the server refuses it, or 101 when it accepts. */
function upgradeStatus(url: string): Promise<{ status: number; ws: WebSocket }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0, ws }));
    ws.once('error', (error) => (error.message.includes('Unexpected server response') ? undefined : reject(error)));
  });
}

const gauge = async (t: TestServer) => Number(/^pitboard_unauthenticated_sockets (\d+)$/m.exec(await t.pitboard.metrics.render())?.[1] ?? NaN);

/** A Yjs update of about `bytes` bytes (what a pre-sign-in flood would send). */
function bigUpdate(bytes: number): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('job').set('description', 'x'.repeat(bytes));
  return Y.encodeStateAsUpdate(doc);
}

describe('security class 9: a socket that never signs in', () => {
  const defaults = loadConfig({});

  it('the defaults: 64 KiB before signing in, 10 s to sign in, MAX_CONNECTIONS set', () => {
    expect(defaults.sockets.preAuthMaxBytes).toBe(64 * 1024);
    expect(defaults.sockets.authDeadlineMs).toBe(10_000);
    expect(defaults.sockets.maxConnections).toBeGreaterThan(0);
    expect(loadConfig({ MAX_CONNECTIONS: '7', PREAUTH_MAX_BYTES: '1000', AUTH_DEADLINE_SECONDS: '3' }).sockets).toEqual({
      maxConnections: 7,
      preAuthMaxBytes: 1000,
      authDeadlineMs: 3000
    });
  });

  describe('the byte budget and the gauge', () => {
    let t: TestServer;
    let manager: TestUser;
    beforeAll(async () => {
      t = await startTestServer();
      manager = await createUser(t.pitboard, 'manager');
    });
    afterAll(() => t.stop());

    it('is closed (1008) once it has sent more than PREAUTH_MAX_BYTES without signing in; signed-in clients are unaffected', async () => {
      const inbox = await connect(t.wsUrl, `inbox:${manager.id}`, manager.token);
      const attacker = await rawSocket(t.wsUrl);
      await waitFor(async () => (await gauge(t)) === 1, 5000, 'the gauge to count the unauthenticated socket');
      // 16 frames of ~8 KiB for a document it never authenticates: Hocuspocus alone queues them all.
      const frame = updateFrame('job:whatever', bigUpdate(8 * 1024));
      for (let i = 0; i < 16 && attacker.ws.readyState === WebSocket.OPEN; i++) attacker.ws.send(frame);
      await waitFor(() => attacker.closed !== null, 5000, 'the server to close the flooding socket');
      expect(attacker.closed).toEqual({ code: 1008, reason: '1008 preauth_too_much: too much data before signing in' });
      await waitFor(async () => (await gauge(t)) === 0, 5000, 'the gauge to drop back');
      expect(inbox.provider.isAuthenticated).toBe(true);
      inbox.close();
    });

    it('a socket that signs in is no longer on the budget: it may then send more than PREAUTH_MAX_BYTES', async () => {
      const socket = await rawSocket(t.wsUrl);
      socket.ws.send(authFrame(`inbox:${manager.id}`, manager.token));
      await waitFor(async () => (await gauge(t)) === 0, 5000, 'the socket to sign in');
      const frame = updateFrame(`inbox:${manager.id}`, new Uint8Array([0, 0])); // an empty update
      const padding = updateFrame('job:unknown-elsewhere', bigUpdate(8 * 1024));
      for (let i = 0; i < 12; i++) socket.ws.send(padding);
      socket.ws.send(frame);
      // A ping round trip after the frames: they were all read, and the socket is still open.
      await new Promise<void>((resolve) => socket.ws.once('pong', () => resolve()).ping());
      expect(socket.closed).toBeNull();
      socket.ws.close();
    });
  });

  describe('the deadline to sign in', () => {
    let t: TestServer;
    let manager: TestUser;
    beforeAll(async () => {
      t = await startTestServer({ config: { sockets: { ...defaults.sockets, authDeadlineMs: 1500 } } });
      manager = await createUser(t.pitboard, 'manager');
    });
    afterAll(() => t.stop());

    it('closes (4401) a socket that has not signed in any document by AUTH_DEADLINE_SECONDS; a signed-in one opened earlier stays', async () => {
      const signedIn = await connect(t.wsUrl, `inbox:${manager.id}`, manager.token);
      const silent = await rawSocket(t.wsUrl);
      // One that tries with a bad token: failing to sign in does not stop the clock.
      const wrong = await rawSocket(t.wsUrl);
      wrong.ws.send(authFrame(`inbox:${manager.id}`, 'not-a-token'));
      await waitFor(() => silent.closed !== null && wrong.closed !== null, 15_000, 'the deadline to close both');
      expect(silent.closed).toEqual({ code: 4401, reason: '4401 auth_deadline: sign-in took too long' });
      expect(wrong.closed).toEqual({ code: 4401, reason: '4401 auth_deadline: sign-in took too long' });
      // The signed-in socket, opened before them, outlived their deadline.
      expect(signedIn.socket.status).toBe('connected');
      expect(signedIn.provider.isAuthenticated).toBe(true);
      expect(await gauge(t)).toBe(0);
      signedIn.close();
    });
  });

  describe('MAX_CONNECTIONS', () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer({ config: { sockets: { ...defaults.sockets, maxConnections: 3 } } });
    });
    afterAll(() => t.stop());

    it('refuses the upgrade beyond it with 503, and accepts again once a socket closes', async () => {
      const open = [await rawSocket(t.wsUrl), await rawSocket(t.wsUrl), await rawSocket(t.wsUrl)];
      const refused = await upgradeStatus(t.wsUrl);
      expect(refused.status).toBe(503);
      open[0]!.ws.close();
      await waitFor(() => t.pitboard.sockets.open === 2, 5000, 'the server to see the socket close');
      const accepted = await upgradeStatus(t.wsUrl);
      expect(accepted.status).toBe(101);
      accepted.ws.close();
      for (const s of open) s.ws.close();
    });
  });
});
