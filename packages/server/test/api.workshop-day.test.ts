/**
 * The workshop-day endpoints (docs/api.md): promised time at intake and by PATCH, parts ordered
 * and arrived, the mechanic's timer, and the fields they add to rows, views, stats and the share
 * page — over real HTTP and WebSockets on a real database.
 */
import { startClock, stopClock } from '@pitboard/job-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connect, createUser, startTestServer, waitFor, type TestServer, type TestUser } from './helpers/server.js';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('API: the workshop day', () => {
  let t: TestServer;
  let boss: TestUser;
  let theo: TestUser;
  let ana: TestUser;
  let lee: TestUser;

  beforeAll(async () => {
    t = await startTestServer({ config: { overdueCheckMs: 0 } });
    boss = await createUser(t.pitboard, 'manager');
    theo = await createUser(t.pitboard, 'mechanic');
    ana = await createUser(t.pitboard, 'mechanic');
    lee = await createUser(t.pitboard, 'customer');
  });
  afterAll(() => t.stop());

  const patch = async (token: string, path: string, body: unknown) => {
    const res = await fetch(t.url + path, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { promisedAt?: string | null; error?: string } };
  };
  const newJob = async (extra: object = {}) => {
    const r = await api(t.url, boss.token).post('/api/jobs', { bike: 'Kona Sutra', customerId: lee.id, items: ['Brakes'], mechanicId: theo.id, ...extra });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: string; shareUrl: string };
  };
  const view = async (id: string, token = boss.token) => (await api(t.url, token).get(`/api/jobs/${id}`)).body;
  const row = async (id: string, token = boss.token) => ((await api(t.url, token).get('/api/jobs')).body as { id: string }[]).find((j) => j.id === id) as Record<string, unknown>;

  it('S7: POST /api/jobs takes promisedAt with its zone and stores it as UTC; rows and the view carry it', async () => {
    const { id } = await newJob({ promisedAt: '2099-12-02T18:30:00+01:00' });
    expect(await view(id)).toMatchObject({ promisedAt: '2099-12-02T17:30:00.000Z', overdue: false, clockedSeconds: 0 });
    expect(await row(id)).toMatchObject({ promisedAt: '2099-12-02T17:30:00.000Z', overdue: false, clockedSeconds: 0 });
  });

  it('400: a promised time in an unknown format, at intake or by PATCH, changes nothing', async () => {
    const before = (await api(t.url, boss.token).get('/api/jobs')).body.length;
    for (const promisedAt of ['next Tuesday', '2026-12-02', '2026-12-02T17:00:00', '2026-13-40T17:00:00Z', 17]) {
      const r = await api(t.url, boss.token).post('/api/jobs', { bike: 'B', customerId: lee.id, items: ['x'], promisedAt });
      expect(r.status, String(promisedAt)).toBe(400);
      expect(r.body.error).toMatch(/promisedAt must be a date and time with its zone/);
    }
    expect((await api(t.url, boss.token).get('/api/jobs')).body.length).toBe(before);
    const { id } = await newJob({ promisedAt: '2099-01-01T10:00:00Z' });
    const bad = await patch(boss.token, `/api/jobs/${id}`, { bike: 'Changed', promisedAt: 'tomorrow' });
    expect(bad).toMatchObject({ status: 400, body: { error: expect.stringMatching(/promisedAt/) } });
    expect(await view(id)).toMatchObject({ bike: 'Kona Sutra', promisedAt: '2099-01-01T10:00:00.000Z' });
  });

  it('PATCH /api/jobs/:id: a manager edits bike, description and the promised time (null clears it)', async () => {
    const { id } = await newJob();
    const r = await patch(boss.token, `/api/jobs/${id}`, { bike: ' Kona Sutra LTD ', description: 'Full service', promisedAt: '2099-06-01T09:00:00Z' });
    expect(r).toEqual({ status: 200, body: { id, bike: 'Kona Sutra LTD', description: 'Full service', promisedAt: '2099-06-01T09:00:00.000Z', serial: '', customerPhone: '' } });
    expect(await row(id)).toMatchObject({ bike: 'Kona Sutra LTD', promisedAt: '2099-06-01T09:00:00.000Z' });
    expect((await patch(boss.token, `/api/jobs/${id}`, { promisedAt: null })).body.promisedAt).toBeNull();
    expect((await view(id)).promisedAt).toBeNull();
  });

  it('PATCH /api/jobs/:id: refuses other roles, unknown fields and unknown jobs', async () => {
    const { id } = await newJob();
    expect((await patch(theo.token, `/api/jobs/${id}`, { promisedAt: '2099-06-01T09:00:00Z' })).status).toBe(403);
    expect((await patch(lee.token, `/api/jobs/${id}`, { bike: 'x' })).status).toBe(403);
    expect(await patch(boss.token, `/api/jobs/${id}`, { colour: 'red' })).toEqual({ status: 400, body: expect.objectContaining({ error: 'unknown field "colour"' }) });
    expect((await patch(boss.token, `/api/jobs/${id}`, { bike: '   ' })).status).toBe(400);
    expect((await patch(boss.token, '/api/jobs/nope', { bike: 'x' })).status).toBe(404);
    expect((await view(id)).promisedAt).toBeNull();
  });

  it('E13 on rows: a job promised an hour ago is overdue until it is ready', async () => {
    const { id } = await newJob({ promisedAt: iso(Date.now() - HOUR) });
    expect(await row(id)).toMatchObject({ overdue: true });
    expect(await view(id)).toMatchObject({ overdue: true });
    const stats = (await api(t.url, boss.token).get('/api/manager/stats')).body;
    expect(stats.overdue).toBeGreaterThanOrEqual(1);
    const itemId = (await view(id)).items[0].id;
    await api(t.url, theo.token).post(`/api/jobs/${id}/items/${itemId}`, { done: true });
    await api(t.url, boss.token).post(`/api/jobs/${id}/qc`, { pass: true });
    expect(await row(id)).toMatchObject({ status: 'ready_for_pickup', overdue: false });
  });

  it('parts: the assigned mechanic orders one → waiting_for_parts; a manager marks it arrived → the mechanic is told', async () => {
    const { id, shareUrl } = await newJob({ promisedAt: '2099-03-03T15:00:00Z' });
    const ordered = await api(t.url, theo.token).post(`/api/jobs/${id}/parts`, { name: 'Shimano pads', expectedAt: '2099-03-02T12:00:00Z' });
    expect(ordered).toMatchObject({ status: 201, body: { id: expect.any(String) } });
    expect(await row(id)).toMatchObject({ status: 'waiting_for_parts' });
    expect((await view(id)).parts).toEqual([
      { id: ordered.body.id, name: 'Shimano pads', expectedAt: '2099-03-02T12:00:00.000Z', orderedBy: theo.id, orderedAt: expect.any(String), arrivedAt: null, arrivedBy: null }
    ]);
    const token = shareUrl.split('/p/')[1]!;
    const share = (await api(t.url).get(`/api/share/${token}`)).body;
    expect(share).toMatchObject({ status: 'waiting_for_parts', promisedAt: '2099-03-03T15:00:00.000Z', waitingForPart: { expectedAt: '2099-03-02T12:00:00.000Z' } });
    expect(JSON.stringify(share)).not.toContain('Shimano');

    const arrived = await api(t.url, boss.token).post(`/api/jobs/${id}/parts/${ordered.body.id}/arrived`);
    expect(arrived).toMatchObject({ status: 200, body: { id: ordered.body.id, arrivedAt: expect.any(String), arrivedBy: boss.id } });
    expect(await row(id)).toMatchObject({ status: 'assigned' });
    const told = ((await api(t.url, theo.token).get('/api/notifications')).body as { kind: string; jobId: string; body: string }[]).filter((n) => n.kind === 'parts_arrived' && n.jobId === id);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toMatch(/Shimano pads arrived/);
    // Again: a retry changes nothing and tells no one twice.
    expect((await api(t.url, boss.token).post(`/api/jobs/${id}/parts/${ordered.body.id}/arrived`)).body.arrivedAt).toBe(arrived.body.arrivedAt);
    expect(((await api(t.url, theo.token).get('/api/notifications')).body as { kind: string; jobId: string }[]).filter((n) => n.kind === 'parts_arrived' && n.jobId === id)).toHaveLength(1);
  });

  it('parts: a part on another mechanic’s job (403), from a customer (403), bad input (400), unknown part (404) change nothing', async () => {
    const { id } = await newJob();
    expect((await api(t.url, ana.token).post(`/api/jobs/${id}/parts`, { name: 'Pads' })).status).toBe(403);
    expect((await api(t.url, lee.token).post(`/api/jobs/${id}/parts`, { name: 'Pads' })).status).toBe(403);
    expect((await api(t.url, theo.token).post(`/api/jobs/${id}/parts`, { name: '' })).body.error).toMatch(/name must not be empty/);
    expect((await api(t.url, theo.token).post(`/api/jobs/${id}/parts`, { name: 'Pads', expectedAt: 'soon' })).body.error).toMatch(/expectedAt must be a date/);
    expect((await api(t.url, boss.token).post(`/api/jobs/${id}/parts/nope/arrived`)).status).toBe(404);
    expect((await api(t.url, boss.token).post('/api/jobs/nope/parts', { name: 'Pads' })).status).toBe(404);
    const ordered = await api(t.url, boss.token).post(`/api/jobs/${id}/parts`, { name: 'Cable' });
    expect((await api(t.url, ana.token).post(`/api/jobs/${id}/parts/${ordered.body.id}/arrived`)).status).toBe(403);
    expect((await view(id)).parts).toHaveLength(1);
    expect((await view(id)).parts[0].arrivedAt).toBeNull();
  });

  it('timer: start, 409 for a second start and for a stop without a start; only the assigned mechanic clocks', async () => {
    const { id } = await newJob();
    const timer = (token: string, action: unknown) => api(t.url, token).post(`/api/jobs/${id}/timer`, { action });
    expect(await timer(theo.token, 'stop')).toMatchObject({ status: 409, body: { error: expect.stringMatching(/not running/) } });
    expect(await timer(theo.token, 'start')).toMatchObject({ status: 200, body: { running: true } });
    expect((await timer(theo.token, 'start')).status).toBe(409);
    expect((await timer(ana.token, 'start')).status).toBe(403);
    expect((await timer(boss.token, 'start')).status).toBe(403);
    expect((await timer(theo.token, 'pause')).body.error).toBe("action must be 'start' or 'stop'");
    expect(await timer(theo.token, 'stop')).toMatchObject({ status: 200, body: { running: false, clockedSeconds: expect.any(Number) } });
    expect((await view(id)).clock).toHaveLength(1);
  });

  it('C3 through sync: sessions clocked offline on two devices count once; stats sum hours per mechanic', async () => {
    const { id } = await newJob();
    const phone = await connect(t.wsUrl, `job:${id}`, theo.token);
    const tablet = await connect(t.wsUrl, `job:${id}`, theo.token);
    phone.provider.disconnect();
    tablet.provider.disconnect();
    const start = Date.now() - 2 * HOUR;
    startClock(phone.doc, theo.id, iso(start));
    stopClock(phone.doc, theo.id, iso(start + HOUR));
    startClock(tablet.doc, theo.id, iso(start + HOUR / 2));
    stopClock(tablet.doc, theo.id, iso(start + HOUR + HOUR / 2));
    await phone.provider.connect();
    await tablet.provider.connect();
    await waitFor(async () => (await view(id)).clock.length === 2, 5000, 'both sessions stored');
    await t.pitboard.projector.idle();
    expect(await row(id)).toMatchObject({ clockedSeconds: 90 * 60 });
    expect((await view(id)).clockedSeconds).toBe(90 * 60);
    const stats = (await api(t.url, boss.token).get('/api/manager/stats')).body;
    expect(stats.clockedHoursByMechanic[theo.id]).toBeGreaterThanOrEqual(1.5);
    phone.close();
    tablet.close();
  });
});
