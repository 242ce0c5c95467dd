/**
 * The seed's channel capacity, done right: a client that stops reading never makes the server
 * queue without bound. Past INBOX_MAX_BUFFERED_BYTES its inbox is closed; it catches up from
 * storage when it reconnects, with nothing lost.
 */
import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, openInbox, startTestServer, waitFor, type TestServer, type TestUser } from './helpers/server.js';

describe('notifications: a stalled client', () => {
  let t: TestServer;
  let boss: TestUser;
  let theo: TestUser;
  beforeAll(async () => {
    t = await startTestServer({ env: { INBOX_MAX_BUFFERED_BYTES: String(64 * 1024) } });
    boss = await createUser(t.pitboard, 'manager');
    theo = await createUser(t.pitboard, 'mechanic');
    for (let i = 0; i < 150; i++) {
      await api(t.url, boss.token).post('/api/jobs', { bike: `Bike ${i} ${'x'.repeat(150)}`, customer: { name: 'C' }, items: ['A'], mechanicId: theo.id });
    }
  }, 60_000);
  afterAll(() => t.stop());

  it('is closed once too far behind, and later catches up with everything', async () => {
    const stalled = await openInbox(t.wsUrl, theo);
    const raw = (stalled.socket as unknown as { webSocket: WebSocket & { _socket: { pause(): void } } }).webSocket;
    raw._socket.pause(); // stops reading: the server's sends pile up
    const inbox = () => t.pitboard.hocuspocus.documents.get(`inbox:${theo.id}`);
    for (let i = 0; i < 400 && (inbox()?.getConnectionsCount() ?? 0) > 0; i++) {
      stalled.sync(0); // each answer is a backlog of up to 200 notifications
      await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor(() => (inbox()?.getConnectionsCount() ?? 0) === 0, 5000, 'the stalled inbox to be closed');
    stalled.close();

    const fresh = await openInbox(t.wsUrl, theo);
    let after = 0;
    for (;;) {
      fresh.messages.length = 0;
      fresh.sync(after);
      await waitFor(() => fresh.messages.some((m) => m.type === 'backlog'), 3000, 'backlog');
      const page = fresh.messages.find((m) => m.type === 'backlog');
      for (const n of page.notifications) after = Math.max(after, n.seq);
      if (!page.more) break;
    }
    const list = (await api(t.url, theo.token).get('/api/notifications?limit=500')).body;
    expect(list.filter((n: { kind: string }) => n.kind === 'assigned')).toHaveLength(150);
    expect(after).toBe(Math.max(...list.map((n: { seq: number }) => n.seq)));
    fresh.close();
  });
});
