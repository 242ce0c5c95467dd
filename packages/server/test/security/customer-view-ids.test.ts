/**
 * Class 10: the customer's view carries no internal ids. Whatever a customer receives — API
 * answers, their live inbox, the share link and its event stream — holds no staff user id.
 */
import { readJob, setItemDone } from '@pitboard/job-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connect, createUser, openInbox, startTestServer, waitFor, type TestServer, type TestUser } from '../helpers/server.js';

describe('security: no staff id reaches a customer', () => {
  let t: TestServer;
  let manager: TestUser;
  let mechanic: TestUser;
  let mechanic2: TestUser;
  let customer: TestUser;
  beforeAll(async () => {
    t = await startTestServer();
    manager = await createUser(t.pitboard, 'manager');
    mechanic = await createUser(t.pitboard, 'mechanic');
    mechanic2 = await createUser(t.pitboard, 'mechanic');
    customer = await createUser(t.pitboard, 'customer');
  });
  afterAll(() => t.stop());

  it('in any byte of the API, the inbox or the share link, through a job’s whole life', async () => {
    const inbox = await openInbox(t.wsUrl, customer);
    const boss = api(t.url, manager.token);
    const created = await boss.post('/api/jobs', { bike: 'Surly', customerId: customer.id, items: ['Brakes', 'Tyres'], mechanicId: mechanic.id });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    // Everything staff do to a job: reassign, tick, notes of both kinds, stuck and resolved, QC, collect.
    expect((await boss.post(`/api/jobs/${id}/assign`, { mechanicId: mechanic2.id })).status).toBe(200);
    const m = await connect(t.wsUrl, `job:${id}`, mechanic2.token);
    for (const item of readJob(m.doc).items) setItemDone(m.doc, item.id, true, mechanic2.id, new Date().toISOString());
    await m.settled();
    m.close();
    const bench = api(t.url, mechanic2.token);
    expect((await bench.post(`/api/jobs/${id}/notes`, { text: 'Pads were worn', visibility: 'customer' })).status).toBe(201);
    expect((await bench.post(`/api/jobs/${id}/notes`, { text: 'internal only', visibility: 'internal' })).status).toBe(201);
    expect((await bench.post(`/api/mechanic/repair/${id}/stuck`, { reason: 'waiting for a part' })).status).toBe(200);
    expect((await boss.post(`/api/manager/resolve-stuck/${id}`, { note: 'part arrived' })).status).toBe(200);
    expect((await boss.post(`/api/jobs/${id}/qc`, { pass: true })).status).toBe(200);
    await waitFor(() => inbox.messages.some((x) => x.type === 'job' && x.job.status === 'ready_for_pickup'), 5000, 'the customer’s live row');

    const mine = api(t.url, customer.token);
    const received: [string, string][] = [];
    const take = async (what: string, p: Promise<{ status: number; body: unknown }>) => {
      const r = await p;
      expect(r.status, what).toBe(200);
      received.push([what, JSON.stringify(r.body)]);
    };
    await take('GET /api/jobs', mine.get('/api/jobs'));
    await take('GET /api/jobs/:id', mine.get(`/api/jobs/${id}`));
    await take('GET /api/customer/active-repairs', mine.get('/api/customer/active-repairs'));
    await take('GET /api/notifications', mine.get('/api/notifications'));
    await take('GET /api/customer/notifications/list', mine.get('/api/customer/notifications/list'));
    await take('GET /api/me', mine.get('/api/me'));
    inbox.sync(0);
    await waitFor(() => inbox.messages.some((x) => x.type === 'backlog'), 5000, 'the inbox backlog');
    const link = await boss.post(`/api/jobs/${id}/share-links`, {});
    await take('GET /api/share/:token', api(t.url).get(`/api/share/${link.body.token}`));
    const events = await fetch(`${t.url}/api/share/${link.body.token}/events`);
    const reader = events.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    received.push(['share events', first]);
    for (const message of inbox.messages) received.push([`inbox ${message.type}`, JSON.stringify(message)]);
    expect(received.some(([what]) => what === 'inbox job')).toBe(true);

    for (const staff of [manager, mechanic, mechanic2]) {
      for (const [what, bytes] of received) expect(bytes.includes(staff.id), `${what} carries the ${staff.role}'s id`).toBe(false);
    }
    // The contract's fields stay: a customer's row still has the list shape, with no assignee.
    const row = JSON.parse(received[0]![1])[0];
    expect(row).toMatchObject({ id, status: 'ready_for_pickup', assigneeId: null, customerId: customer.id });
    inbox.close();
  });
});
