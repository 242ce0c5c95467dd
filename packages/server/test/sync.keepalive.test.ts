/**
 * Keepalive on /collab (http/keepalive.ts): an idle socket keeps living past the provider's
 * no-message timeout, and a dead link is still noticed within it. Short intervals stand in for
 * the real 15 s ping and 30 s timeout.
 */
import net from 'node:net';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, startTestServer, waitFor, type TestServer, type TestUser } from './helpers/server.js';

const TIMEOUT_MS = 1500;

/** An inbox on its own socket with a short no-message timeout; counts opens and closes. */
function idleInbox(wsUrl: string, user: TestUser) {
  const socket = new HocuspocusProviderWebsocket({ url: wsUrl, WebSocketPolyfill: WebSocket, messageReconnectTimeout: TIMEOUT_MS, delay: 100, minDelay: 100, maxDelay: 200 });
  const counts = { opens: 0, closes: 0, synced: 0 };
  socket.on('open', () => counts.opens++);
  socket.on('disconnect', () => counts.closes++); // also when the timeout forces it (no 'close' then)
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: `inbox:${user.id}`, document: new Y.Doc(), token: user.token, awareness: null });
  provider.on('synced', () => counts.synced++);
  provider.attach();
  return { counts, close: () => (provider.destroy(), socket.destroy()) };
}

/** A TCP relay that can go silent without closing anything: a link that died on the way. */
async function relay(port: number) {
  let frozen = false;
  const sockets: net.Socket[] = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    sockets.push(client, upstream);
    client.on('data', (d) => !frozen && upstream.write(d));
    upstream.on('data', (d) => !frozen && client.write(d));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    freeze: () => (frozen = true),
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    }
  };
}

describe('keepalive', () => {
  let t: TestServer;
  let user: TestUser;
  beforeAll(async () => {
    t = await startTestServer({ config: { keepaliveMs: 300 } });
    user = await createUser(t.pitboard, 'manager');
  });
  afterAll(() => t.stop());

  it('an idle socket stays open, without a reconnect, for several times the provider’s timeout', async () => {
    const inbox = idleInbox(t.wsUrl, user);
    await waitFor(() => inbox.counts.synced > 0, 5000, 'synced');
    await new Promise((r) => setTimeout(r, TIMEOUT_MS * 3));
    expect(inbox.counts).toMatchObject({ opens: 1, closes: 0 });
    inbox.close();
  });

  it('a dead link (nothing arrives any more) is still noticed by the provider’s timeout', async () => {
    const link = await relay(t.server.port);
    const inbox = idleInbox(`ws://127.0.0.1:${link.port}/collab`, user);
    await waitFor(() => inbox.counts.synced > 0, 5000, 'synced');
    link.freeze();
    await waitFor(() => inbox.counts.closes > 0, TIMEOUT_MS * 10, 'the provider closing the dead socket');
    inbox.close();
    link.close();
  });
});
