/** Live feeds behind the pages: job rows on the inbox (boards, lists), public views over SSE. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, openInbox, startTestServer, waitFor, type TestServer, type TestUser } from './helpers/server.js';

describe('live feeds', () => {
  let t: TestServer;
  let boss: TestUser, theo: TestUser, ana: TestUser, kim: TestUser;
  beforeAll(async () => {
    t = await startTestServer();
    boss = await createUser(t.pitboard, 'manager');
    theo = await createUser(t.pitboard, 'mechanic');
    ana = await createUser(t.pitboard, 'mechanic');
    kim = await createUser(t.pitboard, 'customer');
  });
  afterAll(() => t.stop());

  it('an expiring link’s stream ends when it expires', async () => {
    const { body } = await api(t.url, boss.token).post('/api/jobs', { bike: 'Expiring', customerId: kim.id, items: ['A'] });
    const link = await api(t.url, boss.token).post(`/api/jobs/${body.id}/share-links`, { expiresAt: new Date(Date.now() + 800).toISOString() });
    const res = await fetch(`${t.url}/api/share/${link.body.token}/events`);
    const text = await res.text(); // resolves when the server ends the stream
    expect(text).toContain('"bike":"Expiring"');
    expect(text).toContain('event: gone');
  });

  it('job rows reach every manager, the job’s mechanic and its customer — and nobody else', async () => {
    const inboxes = await Promise.all([boss, theo, ana, kim].map((u) => openInbox(t.wsUrl, u)));
    const { body } = await api(t.url, boss.token).post('/api/jobs', { bike: 'Live', customerId: kim.id, items: ['A'], mechanicId: theo.id });
    const jobs = (i: number) => inboxes[i]!.messages.filter((m) => m.type === 'job' && m.job.id === body.id).map((m) => m.job);
    await waitFor(() => jobs(0).length > 0 && jobs(1).length > 0 && jobs(3).length > 0, 3000, 'job rows');
    expect(jobs(0).at(-1)).toMatchObject({ status: 'assigned', customerName: expect.any(String) });
    expect(jobs(3).at(-1).customerName).toBeUndefined();
    expect(jobs(3).at(-1).stuckReason).toBeUndefined();
    expect(jobs(2)).toEqual([]);
    for (const i of inboxes) i.close();
  });

  it('a share page’s event stream carries the public view, live, and never an internal note', async () => {
    const { body } = await api(t.url, boss.token).post('/api/jobs', { bike: 'Stream', customerId: kim.id, items: ['A', 'B'], mechanicId: theo.id });
    const token = body.shareUrl.split('/p/')[1];
    const res = await fetch(`${t.url}/api/share/${token}/events`);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    const pump = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    })();
    await waitFor(() => text.includes('"bike":"Stream"'), 3000, 'first view');
    await api(t.url, theo.token).post(`/api/jobs/${body.id}/notes`, { text: 'INTERNAL-SECRET-123', visibility: 'internal' });
    await api(t.url, theo.token).post(`/api/jobs/${body.id}/notes`, { text: 'Parts ordered', visibility: 'customer' });
    const job = (await api(t.url, boss.token).get(`/api/jobs/${body.id}`)).body;
    await api(t.url, theo.token).post(`/api/jobs/${body.id}/items/${job.items[0].id}`, { done: true });
    await waitFor(() => text.includes('"done":1'), 3000, 'progress live');
    expect(text).toContain('Parts ordered');
    expect(text).not.toContain('INTERNAL-SECRET-123');
    const links = await t.pitboard.storage.listShareLinks(body.id);
    await api(t.url, boss.token).del(`/api/jobs/${body.id}/share-links/${links[0]!.id}`);
    // No further change to the job is needed: the revocation itself ends the stream.
    await waitFor(() => text.includes('event: gone'), 3000, 'revoked link closes the stream');
    await pump;
    expect((await fetch(`${t.url}/api/share/${token}/events`)).status).toBe(404);
  });
});
