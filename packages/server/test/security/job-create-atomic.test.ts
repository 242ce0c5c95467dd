/**
 * Class 10: job creation is one transaction. A job that cannot be created (an unknown
 * mechanic, a job the model refuses) leaves nothing behind — no customer account, no job,
 * no document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.js';

describe('security: a job that fails to be created leaves nothing behind', () => {
  let t: TestServer;
  let manager: TestUser;
  let customer: TestUser;
  beforeAll(async () => {
    t = await startTestServer();
    manager = await createUser(t.pitboard, 'manager');
    customer = await createUser(t.pitboard, 'customer');
  });
  afterAll(() => t.stop());

  async function snapshot() {
    const { storage } = t.pitboard;
    return { users: await storage.countUsers(), jobs: (await storage.listJobs()).length, logged: (await storage.documentsWithLoggedUpdates()).length };
  }

  it('POST /api/jobs with an unknown mechanic: 400, and no customer account, no job', async () => {
    const before = await snapshot();
    const r = await api(t.url, manager.token).post('/api/jobs', {
      bike: 'Orphan maker',
      customer: { name: 'New Customer', email: 'new.customer@t.dev' },
      items: ['Brakes'],
      mechanicId: 'no-such-mechanic'
    });
    expect(r).toMatchObject({ status: 400, body: { error: 'mechanicId is not a mechanic' } });
    expect(await t.pitboard.storage.getUserByEmail('new.customer@t.dev')).toBeNull();
    expect(await snapshot()).toEqual(before);
  });

  it('a mechanicId that names a customer is refused the same way', async () => {
    const before = await snapshot();
    const r = await api(t.url, manager.token).post('/api/jobs', { bike: 'B', customer: { name: 'Another New' }, items: ['X'], mechanicId: customer.id });
    expect(r.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it('a job the model refuses while it is being stored takes its new customer account with it', async () => {
    const before = await snapshot();
    // The route validates items first; the service is the last line, and must not leave an account.
    await expect(
      t.pitboard.jobs.create({ id: manager.id, role: 'manager' }, { bike: 'B', customer: { name: 'Late Failure', email: 'late@t.dev' }, items: ['   '] })
    ).rejects.toThrow(/must not be empty/);
    expect(await t.pitboard.storage.getUserByEmail('late@t.dev')).toBeNull();
    expect(await snapshot()).toEqual(before);
  });

  it('the same request with a real mechanic creates the job and its customer together', async () => {
    const mechanic = await createUser(t.pitboard, 'mechanic');
    const before = await snapshot();
    const r = await api(t.url, manager.token).post('/api/jobs', {
      bike: 'Fine',
      customer: { name: 'New Customer', email: 'new.customer@t.dev' },
      items: ['Brakes'],
      mechanicId: mechanic.id
    });
    expect(r.status).toBe(201);
    const created = await t.pitboard.storage.getUserByEmail('new.customer@t.dev');
    expect(created?.role).toBe('customer');
    expect((await t.pitboard.storage.getJob(r.body.id))?.customerId).toBe(created!.id);
    expect(await snapshot()).toMatchObject({ users: before.users + 1, jobs: before.jobs + 1 });
  });
});
