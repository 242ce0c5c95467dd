import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, startTestServer, type TestServer, type TestUser } from './helpers/server.js';

describe('API: jobs', () => {
  let t: TestServer;
  let manager: TestUser;
  let mechanic: TestUser;
  let other: TestUser;
  let customer: TestUser;
  let jobId: string;

  beforeAll(async () => {
    t = await startTestServer();
    manager = await createUser(t.pitboard, 'manager');
    mechanic = await createUser(t.pitboard, 'mechanic');
    other = await createUser(t.pitboard, 'mechanic');
    customer = await createUser(t.pitboard, 'customer');
  });
  afterAll(() => t.stop());

  it('POST /api/jobs: a manager creates a job with a share link', async () => {
    const r = await api(t.url, manager.token).post('/api/jobs/', {
      bike: 'Genesis Croix de Fer',
      description: 'Squeaky brakes',
      customerId: customer.id,
      items: ['Brake pads', 'Bleed', 'Test ride']
    });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ id: expect.any(String), number: 1001, shareUrl: expect.stringMatching(/\/p\/[a-z2-7]{32}$/), shareLinkId: expect.any(String) });
    jobId = r.body.id;
    const second = await api(t.url, manager.token).post('/api/jobs', { bike: 'B', customer: { name: 'New Person', email: 'np@x.dev' }, items: ['A'] });
    expect(second.body.number).toBe(1002);
    const users = await api(t.url, manager.token).get('/api/users?role=customer');
    expect(users.body.map((u: { email: string }) => u.email)).toContain('np@x.dev');
  });

  it('POST /api/jobs: bad input changes nothing', async () => {
    const before = (await api(t.url, manager.token).get('/api/jobs')).body.length;
    const cases: [unknown, RegExp][] = [
      [{ customer: { name: 'A' }, items: ['x'] }, /bike is required/],
      [{ bike: 'B', items: ['x'] }, /customer or customerId is required/],
      [{ bike: 'B', customer: { name: 'A' }, items: [] }, /items needs at least 1/],
      [{ bike: 'B', customer: { name: 'A' }, items: [3] }, /items\[0\]/],
      [{ bike: 'B', customerId: mechanic.id, items: ['x'] }, /not a customer/],
      [{ bike: 'B', customer: { name: 'A', email: 'nope' }, items: ['x'] }, /email/],
      [{ bike: 'x'.repeat(500), customer: { name: 'A' }, items: ['x'] }, /at most 200/],
      [{ bike: 'B', customer: { name: 'A' }, items: ['x'], mechanicId: customer.id }, /not a mechanic/]
    ];
    for (const [body, error] of cases) {
      const r = await api(t.url, manager.token).post('/api/jobs', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toMatch(error);
    }
    expect((await api(t.url, manager.token).get('/api/jobs')).body.length).toBe(before);
  });

  it('errors about one input name it (PitboardError.field): the board’s form places them by that, not by their words', async () => {
    const boss = { id: manager.id, role: 'manager' as const };
    const create = (extra: object) => t.pitboard.jobs.create(boss, { bike: 'B', customer: { name: 'A' }, items: ['x'], ...extra });
    await expect(create({ mechanicId: customer.id })).rejects.toMatchObject({ status: 400, field: 'mechanicId' });
    await expect(create({ customer: { id: mechanic.id } })).rejects.toMatchObject({ status: 400, field: 'customerId' });
    await expect(create({ customer: { name: 'A', email: other.email } })).rejects.toMatchObject({ status: 409, field: 'customerEmail' });
  });

  it('POST /api/jobs: only managers; not signed in is 401', async () => {
    const body = { bike: 'B', customer: { name: 'A' }, items: ['x'] };
    expect((await api(t.url, mechanic.token).post('/api/jobs', body)).status).toBe(403);
    expect((await api(t.url, customer.token).post('/api/jobs', body)).status).toBe(403);
    expect((await api(t.url).post('/api/jobs', body)).status).toBe(401);
  });

  it('POST /api/jobs/:id/assign: manager assigns; others refused; bad input 400; unknown 404', async () => {
    expect((await api(t.url, mechanic.token).post(`/api/jobs/${jobId}/assign`, { mechanicId: mechanic.id })).status).toBe(403);
    expect((await api(t.url, manager.token).post(`/api/jobs/${jobId}/assign`, {})).status).toBe(400);
    expect((await api(t.url, manager.token).post(`/api/jobs/${jobId}/assign`, { mechanicId: customer.id })).status).toBe(400);
    expect((await api(t.url, manager.token).post(`/api/jobs/nope/assign`, { mechanicId: mechanic.id })).status).toBe(404);
    const r = await api(t.url, manager.token).post(`/api/jobs/${jobId}/assign/`, { mechanicId: mechanic.id });
    expect(r).toMatchObject({ status: 200, body: { id: jobId, assigneeId: mechanic.id } });
  });

  it('GET /api/jobs: each caller sees the jobs visible to them, filterable by status', async () => {
    const all = await api(t.url, manager.token).get('/api/jobs');
    expect(all.body.length).toBe(2);
    expect(all.body[0]).toMatchObject({ id: expect.any(String), number: expect.any(Number), bike: expect.any(String), status: expect.any(String), progress: { done: 0, total: expect.any(Number) }, updatedAt: expect.any(String) });
    const mine = await api(t.url, mechanic.token).get('/api/jobs');
    expect(mine.body.map((j: { id: string }) => j.id)).toEqual([jobId]);
    expect((await api(t.url, other.token).get('/api/jobs')).body).toEqual([]);
    const theirs = await api(t.url, customer.token).get('/api/jobs');
    expect(theirs.body.map((j: { id: string }) => j.id)).toEqual([jobId]);
    expect(theirs.body[0].stuckReason).toBeUndefined();
    expect((await api(t.url, manager.token).get('/api/jobs?status=assigned')).body.map((j: { id: string }) => j.id)).toEqual([jobId]);
    expect((await api(t.url, manager.token).get('/api/jobs?status=bogus')).status).toBe(400);
    expect((await api(t.url).get('/api/jobs')).status).toBe(401);
  });

  it('GET /api/jobs/:id: staff get the facts, the customer the public view, others 403', async () => {
    const full = await api(t.url, mechanic.token).get(`/api/jobs/${jobId}`);
    expect(full.body).toMatchObject({ id: jobId, bike: 'Genesis Croix de Fer', status: 'assigned', items: expect.any(Array), notes: [] });
    const pub = await api(t.url, customer.token).get(`/api/jobs/${jobId}`);
    expect(pub.body).toMatchObject({ bike: 'Genesis Croix de Fer', status: 'assigned', progress: { done: 0, total: 3 } });
    expect(pub.body.customerId).toBeUndefined();
    expect((await api(t.url, other.token).get(`/api/jobs/${jobId}`)).status).toBe(403);
    expect((await api(t.url, manager.token).get(`/api/jobs/nope`)).status).toBe(404);
  });

  it('items and notes through the API follow the same permissions as the document', async () => {
    const { body: job } = await api(t.url, manager.token).get(`/api/jobs/${jobId}`);
    const itemId = job.items[0].id;
    expect((await api(t.url, other.token).post(`/api/jobs/${jobId}/items/${itemId}`, { done: true })).status).toBe(403);
    expect((await api(t.url, customer.token).post(`/api/jobs/${jobId}/items/${itemId}`, { done: true })).status).toBe(403);
    expect((await api(t.url, mechanic.token).post(`/api/jobs/${jobId}/items/${itemId}`, { done: 'yes' })).status).toBe(400);
    expect((await api(t.url, mechanic.token).post(`/api/jobs/${jobId}/items/nope`, { done: true })).status).toBe(400);
    const ok = await api(t.url, mechanic.token).post(`/api/jobs/${jobId}/items/${itemId}`, { done: true });
    expect(ok.body.item).toMatchObject({ done: true, doneBy: mechanic.id });
    const note = await api(t.url, mechanic.token).post(`/api/jobs/${jobId}/notes`, { text: 'Pads worn', visibility: 'customer' });
    expect(note.status).toBe(201);
    expect((await api(t.url, mechanic.token).post(`/api/jobs/${jobId}/notes`, { text: 'x', visibility: 'public' })).status).toBe(400);
    const row = (await api(t.url, manager.token).get('/api/jobs')).body.find((j: { id: string }) => j.id === jobId);
    expect(row.progress).toEqual({ done: 1, total: 3 });
    expect(row.status).toBe('in_progress');
  });

  it('POST /api/jobs/:id/qc and /collect: manager only; a pass needs every item done', async () => {
    expect((await api(t.url, mechanic.token).post(`/api/jobs/${jobId}/qc`, { pass: true })).status).toBe(403);
    expect((await api(t.url, manager.token).post(`/api/jobs/${jobId}/qc`, {})).status).toBe(400);
    expect((await api(t.url, manager.token).post(`/api/jobs/${jobId}/qc`, { pass: true })).status).toBe(400);
    const { body: job } = await api(t.url, manager.token).get(`/api/jobs/${jobId}`);
    for (const item of job.items) await api(t.url, mechanic.token).post(`/api/jobs/${jobId}/items/${item.id}`, { done: true });
    expect((await api(t.url, manager.token).get(`/api/jobs/${jobId}`)).body.status).toBe('quality_check');
    const fail = await api(t.url, manager.token).post(`/api/jobs/${jobId}/qc`, { pass: false, note: 'Rear brake rubs', redoItemIds: [job.items[0].id] });
    expect(fail.status).toBe(200);
    expect((await api(t.url, manager.token).get(`/api/jobs/${jobId}`)).body.status).toBe('in_progress');
    await api(t.url, mechanic.token).post(`/api/jobs/${jobId}/items/${job.items[0].id}`, { done: true });
    const pass = await api(t.url, manager.token).post(`/api/jobs/${jobId}/qc`, { pass: true });
    expect(pass.body.qc).toMatchObject({ pass: true, by: manager.id });
    expect((await api(t.url, manager.token).get(`/api/jobs/${jobId}`)).body.status).toBe('ready_for_pickup');
    expect((await api(t.url, mechanic.token).post(`/api/jobs/${jobId}/collect`)).status).toBe(403);
    expect((await api(t.url, manager.token).post(`/api/jobs/${jobId}/collect`)).status).toBe(200);
    expect((await api(t.url, manager.token).post(`/api/jobs/${jobId}/collect`)).status).toBe(409);
    expect((await api(t.url, manager.token).get(`/api/jobs?status=collected`)).body.map((j: { id: string }) => j.id)).toEqual([jobId]);
  });

  it('injection strings and XSS payloads are stored and returned as plain text', async () => {
    const nasty = [`'); DROP TABLE jobs; --`, '<img src=x onerror=alert(1)>', '" OR 1=1 --', '${7*7}{{7*7}}'];
    const r = await api(t.url, manager.token).post('/api/jobs', { bike: nasty[0], description: nasty[1], customer: { name: nasty[2] }, items: nasty });
    expect(r.status).toBe(201);
    const job = (await api(t.url, manager.token).get(`/api/jobs/${r.body.id}`)).body;
    expect([job.bike, job.description, job.customerName]).toEqual([nasty[0], nasty[1], nasty[2]]);
    expect(job.items.map((i: { title: string }) => i.title)).toEqual(nasty);
    expect((await api(t.url, manager.token).get('/api/jobs')).body.length).toBe(3); // the table is intact
  });
});
