/**
 * The shop on the share answer (SHOP_* settings) and the manager's turnaround and time-in-status
 * figures, from the stored status spans (storage/status-history.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, startTestServer, type TestServer, type TestUser } from './helpers/server.js';

describe('API: the shop on the share page', () => {
  let t: TestServer;
  let manager: TestUser;
  beforeAll(async () => {
    t = await startTestServer({ env: { SHOP_NAME: 'Spoke & Chain', SHOP_PHONE: '+31 20 555 0100', SHOP_HOURS: 'Tue–Sat 9–18' } });
    manager = await createUser(t.pitboard, 'manager');
  });
  afterAll(() => t.stop());

  it('GET /api/share/:token adds shop {name, phone?, address?, hours?}; unset ones are left out', async () => {
    const job = await api(t.url, manager.token).post('/api/jobs', { bike: 'Kona', customer: { name: 'Lee', }, items: ['A'], customerPhone: '0612345678' });
    const token = job.body.shareUrl.split('/p/')[1];
    const r = await api(t.url).get(`/api/share/${token}`);
    expect(r.status).toBe(200);
    expect(r.body.shop).toEqual({ name: 'Spoke & Chain', phone: '+31 20 555 0100', hours: 'Tue–Sat 9–18' });
    // T2 on the share answer, and never the customer's phone.
    expect(r.body.timeline).toEqual([{ at: expect.any(String), kind: 'created' }]);
    expect(JSON.stringify(r.body)).not.toContain('0612345678');
  });
});

describe('API: turnaround and time in status', () => {
  let t: TestServer;
  let manager: TestUser;
  let mechanic: TestUser;
  beforeAll(async () => {
    t = await startTestServer();
    manager = await createUser(t.pitboard, 'manager');
    mechanic = await createUser(t.pitboard, 'mechanic');
  });
  afterAll(() => t.stop());

  it('turnaroundHours is null with nothing collected; every status a job left has its median hours', async () => {
    const before = await api(t.url, manager.token).get('/api/manager/stats');
    expect(before.body.turnaroundHours).toEqual({ p50: null, p90: null });
    expect(before.body.hoursInStatus).toEqual({});
    const boss = api(t.url, manager.token);
    const job = (await boss.post('/api/jobs', { bike: 'Kona', customer: { name: 'Lee' }, items: ['A'] })).body;
    await boss.post(`/api/jobs/${job.id}/assign`, { mechanicId: mechanic.id });
    const [item] = (await boss.get(`/api/jobs/${job.id}`)).body.items;
    await api(t.url, mechanic.token).post(`/api/jobs/${job.id}/items/${item.id}`, { done: true });
    await boss.post(`/api/jobs/${job.id}/qc`, { pass: true });
    await boss.post(`/api/jobs/${job.id}/collect`);
    const after = (await boss.get('/api/manager/stats')).body;
    expect(after.turnaroundHours.p50).toBeGreaterThanOrEqual(0);
    expect(after.turnaroundHours.p90).toBe(after.turnaroundHours.p50);
    expect(Object.keys(after.hoursInStatus).sort()).toEqual(['assigned', 'intake', 'quality_check', 'ready_for_pickup']);
    for (const hours of Object.values(after.hoursInStatus)) expect(hours).toBeGreaterThanOrEqual(0);
  });

  it('a span is stored once however often its change is projected', async () => {
    const span = { jobId: 'j1', status: 'intake', startedAt: '2026-12-01T10:00:00.000Z', endedAt: '2026-12-01T12:00:00.000Z' };
    await t.pitboard.storage.statusHistory.recordSpans([span]);
    await t.pitboard.storage.statusHistory.recordSpans([span]);
    const spans = await t.pitboard.storage.statusHistory.spansEndedSince('2026-12-01T11:00:00.000Z');
    expect(spans.filter((s) => s.status === 'intake' && s.hours === 2)).toHaveLength(1);
  });
});
