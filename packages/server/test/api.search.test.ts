/**
 * Intake facts (SPEC S8), `PATCH /api/jobs/:id` and search (`GET /api/jobs?q=…`, SPEC Q1)
 * against the real server and its read model (SQLite, or PostgreSQL with TEST_DATABASE_URL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, startTestServer, type TestServer, type TestUser } from './helpers/server.js';

async function patch(base: string, token: string, path: string, body: unknown): Promise<{ status: number; body: { error?: string } & Record<string, unknown> }> {
  const res = await fetch(base + path, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { error?: string } & Record<string, unknown> };
}

describe('API: intake facts and search', () => {
  let t: TestServer;
  let manager: TestUser;
  let theo: TestUser;
  let ana: TestUser;
  let lee: TestUser;
  let other: TestUser;
  const ids: Record<string, string> = {};
  const numbers: Record<string, number> = {};

  const create = async (key: string, body: Record<string, unknown>) => {
    const r = await api(t.url, manager.token).post('/api/jobs', { items: ['Check'], ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    ids[key] = r.body.id;
    numbers[key] = r.body.number;
  };
  const search = async (query: string, who: TestUser = manager) => {
    const r = await api(t.url, who.token).get(`/api/jobs?${query}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return (r.body as { id: string }[]).map((row) => Object.entries(ids).find(([, id]) => id === row.id)?.[0] ?? row.id).sort();
  };

  beforeAll(async () => {
    t = await startTestServer();
    manager = await createUser(t.pitboard, 'manager');
    theo = await createUser(t.pitboard, 'mechanic');
    ana = await createUser(t.pitboard, 'mechanic');
    lee = await createUser(t.pitboard, 'customer', 'Lee Okafor');
    other = await createUser(t.pitboard, 'customer', 'Sam Berg');
    await create('kona', { bike: 'Kona Sutra', customerId: lee.id, serial: 'WTU-123-456', customerPhone: '+31 6 1234 5678', mechanicId: theo.id });
    await create('trek', { bike: 'Trek Domane', customerId: other.id, serial: 'TR 998877', customerPhone: '020 555 0199', mechanicId: ana.id });
    await create('brompton', { bike: 'Brompton M6L', customer: { name: 'Maria Quist' } });
    await create('oldKona', { bike: 'Kona Sutra', customerId: lee.id, serial: 'WTU-123-456', mechanicId: theo.id });
  });
  afterAll(() => t.stop());

  it('S8: POST /api/jobs records serial and phone; staff see both, the customer neither the phone nor the serial', async () => {
    const staff = await api(t.url, manager.token).get(`/api/jobs/${ids.kona}`);
    expect(staff.body).toMatchObject({ serial: 'WTU-123-456', customerPhone: '+31 6 1234 5678' });
    const mechanicView = await api(t.url, theo.token).get(`/api/jobs/${ids.kona}`);
    expect(mechanicView.body).toMatchObject({ serial: 'WTU-123-456' });
    const customerView = await api(t.url, lee.token).get(`/api/jobs/${ids.kona}`);
    expect(JSON.stringify(customerView.body)).not.toMatch(/1234 5678|WTU/);
    const rows = await api(t.url, manager.token).get('/api/jobs');
    const row = rows.body.find((r: { id: string }) => r.id === ids.kona);
    expect(row.serial).toBe('WTU-123-456');
    expect(JSON.stringify(rows.body)).not.toMatch(/1234|5678/);
  });

  it('POST /api/jobs: a bad phone or serial is 400 and creates nothing', async () => {
    const before = (await api(t.url, manager.token).get('/api/jobs')).body.length;
    for (const [extra, error] of [
      [{ customerPhone: 'ring me' }, /customer phone must be a phone number/],
      [{ customerPhone: 612345 }, /customerPhone must be a string/],
      [{ serial: 'x'.repeat(65) }, /serial must be at most 64/]
    ] as const) {
      const r = await api(t.url, manager.token).post('/api/jobs', { bike: 'B', customer: { name: 'A' }, items: ['x'], ...extra });
      expect(r.status, JSON.stringify(extra)).toBe(400);
      expect(r.body.error).toMatch(error);
    }
    expect((await api(t.url, manager.token).get('/api/jobs')).body.length).toBe(before);
  });

  it('PATCH /api/jobs/:id: a manager edits serial and phone; bad input and other roles change nothing', async () => {
    const ok = await patch(t.url, manager.token, `/api/jobs/${ids.brompton}`, { serial: 'BR 4411', customerPhone: '06-11 22 33 44' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ serial: 'BR 4411', customerPhone: '06-11 22 33 44' });
    expect(await search('q=0611223344')).toEqual(['brompton']);
    for (const [body, status, error] of [
      [{ customerPhone: 'nope' }, 400, /phone number/],
      [{ serial: 7 }, 400, /serial must be a string/],
      [{ bike: '' }, 400, /bike must not be empty/],
      [{}, 400, /nothing to change/]
    ] as const) {
      const r = await patch(t.url, manager.token, `/api/jobs/${ids.brompton}`, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error).toMatch(error);
    }
    expect((await patch(t.url, theo.token, `/api/jobs/${ids.kona}`, { serial: 'X' })).status).toBe(403);
    expect((await patch(t.url, lee.token, `/api/jobs/${ids.kona}`, { serial: 'X' })).status).toBe(403);
    expect((await patch(t.url, manager.token, '/api/jobs/nope', { serial: 'X' })).status).toBe(404);
    expect((await api(t.url, manager.token).get(`/api/jobs/${ids.brompton}`)).body).toMatchObject({ serial: 'BR 4411', customerPhone: '06-11 22 33 44' });
  });

  it('Q1: finds by number, bike, serial, customer name and phone, in part and in any case', async () => {
    expect(await search(`q=${numbers.trek}`)).toEqual(['trek']);
    expect(await search('q=domane')).toEqual(['trek']);
    expect(await search('q=KONA')).toEqual(['kona', 'oldKona']);
    expect(await search('q=tr%20998')).toEqual(['trek']);
    expect(await search('q=wtu123')).toEqual(['kona', 'oldKona']);
    expect(await search('q=wtu-123-4')).toEqual(['kona', 'oldKona']);
    expect(await search('q=okaf')).toEqual(['kona', 'oldKona']);
    expect(await search('q=maria%20quist')).toEqual(['brompton']);
    expect(await search('q=kona%20lee')).toEqual(['kona', 'oldKona']);
    expect(await search('q=kona%20berg')).toEqual([]);
  });

  it('Q1: a phone with or without spaces, dashes or country code', async () => {
    expect(await search('q=0612345678'.replace('06', '6'))).toEqual(['kona']);
    expect(await search('q=1234%205678')).toEqual(['kona']);
    expect(await search('q=%2B31%206%201234')).toEqual(['kona']);
    expect(await search('q=020-555')).toEqual(['trek']);
    expect(await search('q=5550199')).toEqual(['trek']);
  });

  it('filters: status, mechanic, exact serial; a mechanic finds only their jobs, a customer only theirs', async () => {
    expect(await search(`mechanicId=${theo.id}`)).toEqual(['kona', 'oldKona']);
    expect(await search(`q=kona&mechanicId=${ana.id}`)).toEqual([]);
    expect(await search('status=intake&q=brompton')).toEqual(['brompton']);
    expect(await search('status=assigned&q=brompton')).toEqual([]);
    expect(await search('serial=WTU-123-456')).toEqual(['kona', 'oldKona']);
    expect(await search('q=trek', theo)).toEqual([]);
    expect(await search('q=kona', theo)).toEqual(['kona', 'oldKona']);
    expect(await search(`mechanicId=${ana.id}`, theo)).toEqual([]);
    expect(await search('q=5550199', lee)).toEqual([]);
    expect(await search('q=kona', lee)).toEqual(['kona', 'oldKona']);
    const customerRows = (await api(t.url, lee.token).get('/api/jobs?q=kona')).body;
    expect(customerRows.every((r: { assigneeId: unknown; serial?: unknown }) => r.assigneeId === null && r.serial === undefined)).toBe(true);
  });

  it('collected jobs are found only with collected=1', async () => {
    for (const item of (await api(t.url, manager.token).get(`/api/jobs/${ids.oldKona}`)).body.items) {
      await api(t.url, manager.token).post(`/api/jobs/${ids.oldKona}/items/${item.id}`, { done: true });
    }
    expect((await api(t.url, manager.token).post(`/api/jobs/${ids.oldKona}/qc`, { pass: true })).status).toBe(200);
    expect((await api(t.url, manager.token).post(`/api/jobs/${ids.oldKona}/collect`)).status).toBe(200);
    expect(await search('q=wtu')).toEqual(['kona']);
    expect(await search('q=wtu&collected=1')).toEqual(['kona', 'oldKona']);
    expect(await search('serial=WTU-123-456&collected=1')).toEqual(['kona', 'oldKona']);
    expect(await search('status=collected')).toEqual(['oldKona']);
  });

  it('bad parameters are 400 with the field named', async () => {
    for (const [query, error] of [
      ['q=' + 'x'.repeat(101), /q must be at most 100/],
      ['q=a&status=done', /status must be one of/],
      ['collected=yes', /collected must be 1 or 0/],
      ['q=a&limit=0', /limit must be a number from 1 to 200/],
      ['q=a&limit=abc', /limit must be a number/],
      ['mechanicId=', /mechanicId must not be empty/]
    ] as const) {
      const r = await api(t.url, manager.token).get(`/api/jobs?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.error).toMatch(error);
    }
    expect((await api(t.url, lee.token).get(`/api/jobs?mechanicId=${theo.id}`)).status).toBe(403);
    expect((await api(t.url).get('/api/jobs?q=kona')).status).toBe(401);
  });

  it('a % or _ in the query is a character, not a wildcard', async () => {
    expect(await search('q=%25')).toEqual([]);
    expect(await search('q=_')).toEqual([]);
  });
});
