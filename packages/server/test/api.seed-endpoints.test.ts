/** The seed's endpoints, kept with the same meaning (docs/api.md). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connect, createUser, startTestServer, type TestServer, type TestUser } from './helpers/server.js';

describe('API: the seed’s endpoints', () => {
  let t: TestServer;
  let manager: TestUser;
  let mechanic: TestUser;
  let other: TestUser;
  let customer: TestUser;
  let jobId: string;

  beforeAll(async () => {
    t = await startTestServer();
    manager = await createUser(t.pitboard, 'manager');
    mechanic = await createUser(t.pitboard, 'mechanic', 'Theo');
    other = await createUser(t.pitboard, 'mechanic');
    customer = await createUser(t.pitboard, 'customer');
    jobId = (await api(t.url, manager.token).post('/api/jobs', { bike: 'Dawes Galaxy', customerId: customer.id, items: ['A', 'B'], mechanicId: mechanic.id })).body.id;
    await api(t.url, manager.token).post('/api/jobs', { bike: 'Raleigh', customer: { name: 'Z' }, items: ['A'] });
  });
  afterAll(() => t.stop());

  it('POST /api/mechanic/repair/:id/stuck: the assigned mechanic only, with a reason', async () => {
    expect((await api(t.url, other.token).post(`/api/mechanic/repair/${jobId}/stuck/`, { reason: 'x' })).status).toBe(403);
    expect((await api(t.url, manager.token).post(`/api/mechanic/repair/${jobId}/stuck`, { reason: 'x' })).status).toBe(403);
    expect((await api(t.url, mechanic.token).post(`/api/mechanic/repair/${jobId}/stuck`, {})).status).toBe(400);
    const r = await api(t.url, mechanic.token).post(`/api/mechanic/repair/${jobId}/stuck/`, { reason: 'Seized bottom bracket' });
    expect(r).toMatchObject({ status: 200, body: { stuck: { open: true, reason: 'Seized bottom bracket', reportedBy: mechanic.id } } });
    expect((await api(t.url, manager.token).get('/api/jobs?status=stuck')).body.map((j: { id: string }) => j.id)).toEqual([jobId]);
  });

  it('GET /api/manager/stats: counts from the read model', async () => {
    expect((await api(t.url, mechanic.token).get('/api/manager/stats')).status).toBe(403);
    const r = await api(t.url, manager.token).get('/api/manager/stats/');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ activeJobs: 2, stuck: 1, awaitingQc: 0, jobsByStatus: { stuck: 1, intake: 1 }, liveConnections: 0 });
    expect(r.body.mechanics.find((m: { id: string }) => m.id === mechanic.id)).toMatchObject({ name: 'Theo', activeJobs: 1 });
    expect(r.body.turnaround).toMatchObject({ collected: 0, averageHours: null });
    const live = await connect(t.wsUrl, `inbox:${manager.id}`, manager.token);
    expect((await api(t.url, manager.token).get('/api/manager/stats')).body.liveConnections).toBe(1);
    live.close();
  });

  it('POST /api/manager/resolve-stuck/:id: manager only; 409 when not stuck', async () => {
    expect((await api(t.url, mechanic.token).post(`/api/manager/resolve-stuck/${jobId}`, {})).status).toBe(403);
    const r = await api(t.url, manager.token).post(`/api/manager/resolve-stuck/${jobId}/`, { note: 'Ordered a new one' });
    expect(r).toMatchObject({ status: 200, body: { stuck: { open: false, resolution: 'Ordered a new one', resolvedBy: manager.id } } });
    expect((await api(t.url, manager.token).post(`/api/manager/resolve-stuck/${jobId}`, {})).status).toBe(409);
  });

  it('GET /api/mechanic/stats: the caller’s own numbers', async () => {
    expect((await api(t.url, manager.token).get('/api/mechanic/stats')).status).toBe(403);
    const r = await api(t.url, mechanic.token).get('/api/mechanic/stats/');
    expect(r.body).toMatchObject({ assigned: 1, inProgress: 1, stuck: 0, awaitingQc: 0, completed: 0 });
    expect((await api(t.url, other.token).get('/api/mechanic/stats')).body.assigned).toBe(0);
  });

  it('GET /api/customer/active-repairs: the customer’s own, without staff data', async () => {
    expect((await api(t.url, manager.token).get('/api/customer/active-repairs')).status).toBe(403);
    const r = await api(t.url, customer.token).get('/api/customer/active-repairs/');
    expect(r.body.map((j: { id: string }) => j.id)).toEqual([jobId]);
    expect(r.body[0].customerName).toBeUndefined();
  });
});
