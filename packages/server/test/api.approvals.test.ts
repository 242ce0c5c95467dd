/**
 * Lines after intake, proposals and the customer's decisions over real HTTP (docs/api.md;
 * SPEC P10–P12, A1–A6, E10–E11, V2): every endpoint, bad input that changes nothing, the 409
 * on a second decision — also when two arrive at once, and on two instances of one database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, openInbox, startTestServer, testDatabase, waitFor, type TestServer, type TestUser } from './helpers/server.js';

async function patch(base: string, token: string, path: string, body: unknown) {
  const res = await fetch(base + path, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

describe('API: lines, proposals and approvals', () => {
  let t: TestServer;
  let manager: TestUser;
  let mechanic: TestUser;
  let other: TestUser;
  let customer: TestUser;

  beforeAll(async () => {
    t = await startTestServer();
    manager = await createUser(t.pitboard, 'manager');
    mechanic = await createUser(t.pitboard, 'mechanic');
    other = await createUser(t.pitboard, 'mechanic');
    customer = await createUser(t.pitboard, 'customer');
  });
  afterAll(() => t.stop());

  async function newJob() {
    const r = await api(t.url, manager.token).post('/api/jobs', { bike: 'Brompton', customerId: customer.id, items: ['Service'], mechanicId: mechanic.id });
    return { id: r.body.id as string, token: (r.body.shareUrl as string).split('/p/')[1]!, linkId: r.body.shareLinkId as string };
  }
  const view = async (id: string) => (await api(t.url, manager.token).get(`/api/jobs/${id}`)).body;
  const share = async (token: string) => (await api(t.url).get(`/api/share/${token}`)).body;
  const propose = (id: string, body: Record<string, unknown> = {}) =>
    api(t.url, mechanic.token).post(`/api/jobs/${id}/items`, { title: 'Replace brake pads', price: 4500, reason: 'Pads worn to 1 mm', needsApproval: true, ...body });

  it('P10/A5: a manager adds priced lines; the job, its row and its share page show the total', async () => {
    const job = await newJob();
    const added = await api(t.url, manager.token).post(`/api/jobs/${job.id}/items`, { title: 'New tyres', price: 8000 });
    expect(added).toMatchObject({ status: 201, body: { id: expect.any(String) } });
    expect((await view(job.id)).items.at(-1)).toMatchObject({ id: added.body.id, title: 'New tyres', price: 8000, done: false });
    expect((await view(job.id)).total).toBe(8000);
    const rows = (await api(t.url, manager.token).get('/api/jobs')).body as { id: string; total: number }[];
    expect(rows.find((r) => r.id === job.id)!.total).toBe(8000);
    expect(await share(job.token)).toMatchObject({ total: 8000, approvals: [] });
  });

  it('P10: rename and re-price a line that is not done; a done one is 409; unknown 404; a mechanic 403', async () => {
    const job = await newJob();
    const serviceId = (await view(job.id)).items[0].id;
    const { body } = await api(t.url, manager.token).post(`/api/jobs/${job.id}/items`, { title: 'Tyres', price: 100 });
    expect(await patch(t.url, manager.token, `/api/jobs/${job.id}/items/${body.id}`, { title: 'Tubeless tyres', price: 9000 })).toMatchObject({ status: 200, body: { item: { title: 'Tubeless tyres', price: 9000 } } });
    expect((await patch(t.url, mechanic.token, `/api/jobs/${job.id}/items/${body.id}`, { price: 1 })).status).toBe(403);
    expect((await patch(t.url, manager.token, `/api/jobs/${job.id}/items/nope`, { price: 1 })).status).toBe(404);
    expect((await patch(t.url, manager.token, `/api/jobs/${job.id}/items/${body.id}`, {})).status).toBe(400);
    await api(t.url, mechanic.token).post(`/api/jobs/${job.id}/items/${serviceId}`, { done: true });
    expect(await patch(t.url, manager.token, `/api/jobs/${job.id}/items/${serviceId}`, { title: 'x' })).toMatchObject({ status: 409, body: { error: expect.stringContaining('done') } });
    expect((await view(job.id)).items.map((i: { title: string }) => i.title)).toEqual(['Service', 'Tubeless tyres']);
  });

  it('P10: DELETE removes a line that is not done; 409 for a done one; 404 unknown; 403 for a mechanic', async () => {
    const job = await newJob();
    const serviceId = (await view(job.id)).items[0].id;
    const { body } = await api(t.url, manager.token).post(`/api/jobs/${job.id}/items`, { title: 'Bell' });
    expect((await api(t.url, mechanic.token).del(`/api/jobs/${job.id}/items/${body.id}`)).status).toBe(403);
    expect((await api(t.url, manager.token).del(`/api/jobs/${job.id}/items/${body.id}`)).status).toBe(200);
    expect((await api(t.url, manager.token).del(`/api/jobs/${job.id}/items/${body.id}`)).status).toBe(404);
    await api(t.url, mechanic.token).post(`/api/jobs/${job.id}/items/${serviceId}`, { done: true });
    expect((await api(t.url, manager.token).del(`/api/jobs/${job.id}/items/${serviceId}`)).status).toBe(409);
    expect((await view(job.id)).items).toHaveLength(1);
  });

  it('P11: the assigned mechanic proposes (not plain lines); another mechanic and a customer are refused', async () => {
    const job = await newJob();
    expect((await api(t.url, mechanic.token).post(`/api/jobs/${job.id}/items`, { title: 'Bell', price: 500 })).status).toBe(403);
    expect((await api(t.url, other.token).post(`/api/jobs/${job.id}/items`, { title: 'Bell', price: 500, needsApproval: true })).status).toBe(403);
    expect((await api(t.url, customer.token).post(`/api/jobs/${job.id}/items`, { title: 'Bell', price: 500, needsApproval: true })).status).toBe(403);
    const r = await propose(job.id);
    expect(r.status).toBe(201);
    const v = await view(job.id);
    expect(v.status).toBe('awaiting_approval');
    expect(v.items.at(-1)).toMatchObject({ approval: 'pending', proposedBy: mechanic.id, price: 4500, reason: 'Pads worn to 1 mm' });
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a negative price', { price: -100 }, /price must not be negative/],
    ['a fractional price', { price: 45.5 }, /whole number of cents/],
    ['a price as text', { price: '45' }, /price/],
    ['a too-long reason', { reason: 'x'.repeat(501) }, /reason must be at most 500/],
    ['no title', { title: '  ' }, /title is required/],
    ['no price on a proposal', { price: undefined }, /price is required/],
    ['needsApproval as text', { needsApproval: 'yes' }, /needsApproval/]
  ])('bad input: %s is 400 and changes nothing', async (_what, body, message) => {
    const job = await newJob();
    const before = await view(job.id);
    const r = await propose(job.id, body);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(message);
    expect((await view(job.id)).items).toEqual(before.items);
  });

  it('V2/A4/E10/E11: the customer sees the line, approves it once; the assignee and managers are told', async () => {
    const job = await newJob();
    const boxes = { customer: await openInbox(t.wsUrl, customer), mechanic: await openInbox(t.wsUrl, mechanic), manager: await openInbox(t.wsUrl, manager) };
    const { body } = await propose(job.id);
    const kinds = (box: Awaited<ReturnType<typeof openInbox>>) => [...box.notifications().values()].filter((n) => n.jobId === job.id).map((n) => n.kind);
    await waitFor(() => kinds(boxes.customer).includes('approval_requested'), 5000, 'the customer is asked, live');
    const page = await share(job.token);
    expect(page.approvals).toEqual([{ itemId: body.id, title: 'Replace brake pads', price: 4500, reason: 'Pads worn to 1 mm', state: 'pending', photoIds: [] }]);
    expect(page.total).toBe(4500);
    expect(page.status).toBe('awaiting_approval');
    expect(JSON.stringify(page)).not.toContain(mechanic.id);

    const decided = await api(t.url).post(`/api/share/${job.token}/approvals/${body.id}`, { decision: 'approved', title: 'Replace brake pads', price: 4500 });
    expect(decided).toMatchObject({ status: 200, body: { itemId: body.id, state: 'approved', title: 'Replace brake pads', price: 4500 } });
    await waitFor(() => kinds(boxes.mechanic).includes('approval_decided') && kinds(boxes.manager).includes('approval_decided'), 5000, 'assignee and manager told');
    expect(kinds(boxes.customer)).not.toContain('approval_decided');
    const line = (await view(job.id)).items.at(-1);
    expect(line).toMatchObject({ approval: 'approved', decidedVia: job.linkId, decidedTitle: 'Replace brake pads', decidedPrice: 4500 });

    // Once: a second click, a replay, the other answer — all 409, nothing changes.
    for (const decision of ['approved', 'declined']) {
      const again = await api(t.url).post(`/api/share/${job.token}/approvals/${body.id}`, { decision });
      expect(again).toMatchObject({ status: 409, body: { error: 'this line was already approved' } });
    }
    expect((await view(job.id)).items.at(-1)).toEqual(line);
    for (const box of Object.values(boxes)) box.close();
  });

  it('A1/A5: a declined line leaves the total and progress', async () => {
    const job = await newJob();
    await api(t.url, manager.token).post(`/api/jobs/${job.id}/items`, { title: 'Service fee', price: 6000 });
    const { body } = await propose(job.id);
    expect((await share(job.token)).total).toBe(10500);
    expect((await api(t.url).post(`/api/share/${job.token}/approvals/${body.id}`, { decision: 'declined' })).status).toBe(200);
    const page = await share(job.token);
    expect(page).toMatchObject({ total: 6000, progress: { done: 0, total: 2 }, status: 'assigned' });
    expect(page.approvals[0]).toMatchObject({ state: 'declined', decidedAt: expect.any(String) });
    expect((await api(t.url, manager.token).del(`/api/jobs/${job.id}/items/${body.id}`)).status).toBe(409);
  });

  it('A4: a line changed since the page showed it is 409; so are decided lines re-priced (P12)', async () => {
    const job = await newJob();
    const { body } = await propose(job.id);
    await patch(t.url, manager.token, `/api/jobs/${job.id}/items/${body.id}`, { price: 5200 });
    const stale = await api(t.url).post(`/api/share/${job.token}/approvals/${body.id}`, { decision: 'approved', title: 'Replace brake pads', price: 4500 });
    expect(stale).toMatchObject({ status: 409, body: { error: expect.stringContaining('changed since you saw it') } });
    expect((await view(job.id)).items.at(-1).approval).toBe('pending');
    expect((await api(t.url).post(`/api/share/${job.token}/approvals/${body.id}`, { decision: 'approved', price: 5200 })).status).toBe(200);
    expect(await patch(t.url, manager.token, `/api/jobs/${job.id}/items/${body.id}`, { price: 1 })).toMatchObject({ status: 409 });
    expect((await view(job.id)).items.at(-1)).toMatchObject({ price: 5200, decidedPrice: 5200 });
  });

  it('bad decisions: unknown line, a line needing no approval, bad body, wrong or revoked link', async () => {
    const job = await newJob();
    const { body } = await propose(job.id);
    const plainId = (await view(job.id)).items[0].id;
    const post = (token: string, itemId: string, b: unknown) => api(t.url).post(`/api/share/${token}/approvals/${itemId}`, b);
    expect(await post(job.token, 'nope', { decision: 'approved' })).toMatchObject({ status: 404 });
    expect(await post(job.token, plainId, { decision: 'approved' })).toMatchObject({ status: 404, body: { error: 'this repair has no such line to decide on' } });
    expect(await post(job.token, body.id, { decision: 'maybe' })).toMatchObject({ status: 400, body: { error: expect.stringContaining("'approved' or 'declined'") } });
    expect(await post(job.token, body.id, 'not json')).toMatchObject({ status: 400 });
    expect(await post('a'.repeat(32), body.id, { decision: 'approved' })).toMatchObject({ status: 404, body: { error: 'this link is not valid' } });
    const otherJob = await newJob();
    expect(await post(otherJob.token, body.id, { decision: 'approved' })).toMatchObject({ status: 404 });
    expect((await api(t.url, manager.token).del(`/api/jobs/${job.id}/share-links/${job.linkId}`)).status).toBe(200);
    expect(await post(job.token, body.id, { decision: 'approved' })).toMatchObject({ status: 404, body: { error: 'this link is not valid' } });
    expect((await view(job.id)).items.at(-1).approval).toBe('pending');
  });

  it('A4: a claimed decision whose document write was lost (a crash in between) is written from its record on the next attempt', async () => {
    const job = await newJob();
    const { body } = await propose(job.id);
    const decidedAt = new Date(Date.now() - 60_000).toISOString();
    const claimed = await t.pitboard.storage.approvalDecisions.claim({ jobId: job.id, itemId: body.id, decision: 'declined', title: 'Replace brake pads', price: 4500, shareLinkId: job.linkId, decidedAt });
    expect(claimed).toBe(true);
    expect((await view(job.id)).items.at(-1).approval).toBe('pending');
    const again = await api(t.url).post(`/api/share/${job.token}/approvals/${body.id}`, { decision: 'approved' });
    expect(again).toMatchObject({ status: 409, body: { error: 'this line was already decided' } });
    expect((await view(job.id)).items.at(-1)).toMatchObject({ approval: 'declined', decidedAt, decidedVia: job.linkId, decidedPrice: 4500 });
  });

  it('A4: ten decisions at once — exactly one 200, nine 409, one decision in the document', async () => {
    const job = await newJob();
    const { body } = await propose(job.id);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api(t.url).post(`/api/share/${job.token}/approvals/${body.id}`, { decision: i % 2 ? 'approved' : 'declined' }))
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(9);
    const winner = answers.find((a) => a.status === 200)!.body.state;
    expect((await view(job.id)).items.at(-1).approval).toBe(winner);
  });
});

describe('A4: two instances on one database', () => {
  it('simultaneous decisions through two instances: exactly one 200, one 409', async () => {
    const db = await testDatabase();
    const a = await startTestServer({ db });
    const b = await startTestServer({ db });
    try {
      const manager = await createUser(a.pitboard, 'manager');
      const r = await api(a.url, manager.token).post('/api/jobs', { bike: 'Twin', customer: { name: 'T' }, items: ['One'] });
      const token = (r.body.shareUrl as string).split('/p/')[1]!;
      const line = await api(a.url, manager.token).post(`/api/jobs/${r.body.id}/items`, { title: 'Chain', price: 3000, needsApproval: true });
      const answers = await Promise.all([
        api(a.url).post(`/api/share/${token}/approvals/${line.body.id}`, { decision: 'approved' }),
        api(b.url).post(`/api/share/${token}/approvals/${line.body.id}`, { decision: 'declined' })
      ]);
      expect(answers.map((x) => x.status).sort()).toEqual([200, 409]);
    } finally {
      await b.stop();
      await a.stop();
    }
  });
});
