/** Live delivery, catch-up after being offline, read state across devices, the endpoints. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, openInbox, startTestServer, waitFor, type TestServer, type TestUser } from './helpers/server.js';

describe('notifications: delivery', () => {
  let t: TestServer;
  let boss: TestUser;
  let theo: TestUser;
  let kim: TestUser;

  beforeAll(async () => {
    t = await startTestServer();
    boss = await createUser(t.pitboard, 'manager');
    theo = await createUser(t.pitboard, 'mechanic');
    kim = await createUser(t.pitboard, 'customer');
  });
  afterAll(() => t.stop());

  it('a recipient offline during the changes gets them on connect, in order, once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { body } = await api(t.url, boss.token).post('/api/jobs', { bike: `Bike ${i}`, customerId: kim.id, items: ['A'], mechanicId: theo.id });
      ids.push(body.id);
    }
    const inbox = await openInbox(t.wsUrl, theo);
    inbox.sync(0);
    await waitFor(() => inbox.messages.some((m) => m.type === 'backlog'), 3000, 'backlog');
    const backlog = inbox.messages.find((m) => m.type === 'backlog');
    expect(backlog.notifications.map((n: { jobId: string }) => n.jobId)).toEqual(ids);
    expect(backlog.unread).toBe(3);
    // Asking again after the last seen cursor gives nothing new.
    const last = backlog.notifications.at(-1).seq;
    inbox.messages.length = 0;
    inbox.sync(last);
    await waitFor(() => inbox.messages.some((m) => m.type === 'backlog'), 3000, 'second backlog');
    expect(inbox.messages[0].notifications).toEqual([]);
    inbox.close();
  });

  it('marking read on one device shows as read on the other, live', async () => {
    const phone = await openInbox(t.wsUrl, theo);
    const { token } = (await api(t.url).post('/api/auth/login', { email: theo.email, password: 'correct horse' })).body;
    const tablet = await openInbox(t.wsUrl, { ...theo, token });
    const list = (await api(t.url, theo.token).get('/api/notifications')).body;
    const r = await api(t.url, token).post('/api/notifications/mark-read/', { ids: [list[0].id] });
    expect(r.body).toEqual({ marked: 1, unread: list.length - 1 });
    for (const device of [phone, tablet]) {
      await waitFor(() => device.messages.some((m) => m.type === 'changed' && m.notifications[0].id === list[0].id && m.notifications[0].readAt), 3000, 'read live');
    }
    expect((await api(t.url, theo.token).get('/api/notifications/unread-count')).body).toEqual({ unread: list.length - 1 });
    await api(t.url, theo.token).post('/api/notifications/mark-read', { all: true });
    expect((await api(t.url, theo.token).get('/api/notifications/unread-count')).body).toEqual({ unread: 0 });
    phone.close();
    tablet.close();
  });

  it('endpoints: bad input, other users, the seed’s customer paths', async () => {
    expect((await api(t.url, theo.token).post('/api/notifications/mark-read', { ids: 'x' })).status).toBe(400);
    expect((await api(t.url, theo.token).post('/api/notifications/mark-read', {})).status).toBe(400);
    expect((await api(t.url, theo.token).get('/api/notifications?limit=0')).status).toBe(400);
    expect((await api(t.url).get('/api/notifications')).status).toBe(401);
    // Someone else's ids change nothing.
    const [job] = (await api(t.url, kim.token).get('/api/jobs')).body;
    const item = (await api(t.url, theo.token).get(`/api/jobs/${job.id}`)).body.items[0];
    await api(t.url, theo.token).post(`/api/jobs/${job.id}/items/${item.id}`, { done: true });
    const kims = (await api(t.url, kim.token).get('/api/customer/notifications/list/')).body;
    expect(kims.length).toBeGreaterThan(0);
    expect((await api(t.url, theo.token).post('/api/notifications/mark-read', { ids: kims.map((n: { id: string }) => n.id) })).body.marked).toBe(0);
    expect((await api(t.url, kim.token).get('/api/customer/notifications')).body).toEqual({ unread: kims.length });
    expect((await api(t.url, theo.token).get('/api/customer/notifications')).status).toBe(403);
    const marked = await api(t.url, kim.token).post('/api/customer/notifications/mark-read/', { id: kims[0].id });
    expect(marked.body.marked).toBe(1);
  });

  it('someone else’s inbox cannot be opened', async () => {
    await expect(openInbox(t.wsUrl, { ...kim, token: theo.token })).rejects.toThrow(/not your inbox/);
  });
});
