/**
 * The board's intake form and `POST /api/jobs` read the same request schema: the same bad input
 * is refused by both with the same status and the same words (the form shows them as a
 * sentence beside the input they name). A real core over HTTP; the form action as SvelteKit
 * calls it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addUser, createLogger, createPitboard, loadConfig, startServer, type Pitboard, type RunningServer, type SessionUser } from '@pitboard/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../routes/(app)/board/+page.server';
import { sentence } from './errors';

type Form = { bike?: string; description?: string; customerName?: string; customerEmail?: string; items?: string; mechanicId?: string };

describe('intake: the form action and the API refuse alike', () => {
  let server: RunningServer;
  let core: Pitboard;
  let boss: SessionUser;
  let token: string;
  let customerId: string;

  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitboard-web-intake-'));
    const config = loadConfig({ PITBOARD_DEMO: '0', LOG_LEVEL: 'silent', DATA_DIR: dataDir, DATABASE_URL: '', HOST: '127.0.0.1' } as NodeJS.ProcessEnv, { port: 0 });
    core = await createPitboard(config, createLogger('silent'));
    server = await startServer(core);
    globalThis.__pitboard = core;
    const stamp = Date.now();
    const manager = await addUser(core.storage, { role: 'manager', email: `boss-${stamp}@test.pitboard.dev`, name: 'Boss', password: 'correct horse' });
    boss = { id: manager.id, name: manager.name, email: manager.email, role: 'manager' };
    token = (await core.auth.sessions.create(manager.id)).token;
    customerId = (await addUser(core.storage, { role: 'customer', email: `cust-${stamp}@test.pitboard.dev`, name: 'Cat' })).id;
  });
  afterAll(async () => {
    globalThis.__pitboard = undefined;
    await server?.stop();
  });

  async function viaForm(fields: Form) {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
    const request = new Request(`${server.url}/board?/create`, { method: 'POST', body });
    const create = actions.create as unknown as (event: { request: Request; locals: App.Locals }) => Promise<unknown>;
    const out = (await create({ request, locals: { user: boss, sessionId: null } })) as { status?: number; data?: { errors?: Record<string, string> } };
    return { status: out.status ?? 200, errors: out.data?.errors ?? {} };
  }

  async function viaApi(body: object) {
    const res = await fetch(`${server.url}/api/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify(body)
    });
    return { status: res.status, error: ((await res.json()) as { error?: string }).error };
  }

  const good = { bike: 'Trek Domane', customerName: 'Chris', items: 'Fix brakes' };
  const asJson = (f: Form) => ({
    bike: f.bike ?? '',
    description: f.description ?? '',
    customer: { name: f.customerName ?? '', ...(f.customerEmail ? { email: f.customerEmail } : {}) },
    items: (f.items ?? '').split('\n').filter((s) => s.trim()),
    ...(f.mechanicId ? { mechanicId: f.mechanicId } : {})
  });

  it.each([
    ['no bike', { ...good, bike: '  ' }, 'bike', 'bike is required'],
    ['a bike too long', { ...good, bike: 'x'.repeat(201) }, 'bike', 'bike must be at most 200 characters'],
    ['no customer name', { ...good, customerName: '' }, 'customerName', 'customer name is required'],
    ['a bad email', { ...good, customerEmail: 'chris@nowhere' }, 'customerEmail', 'customer email is not a valid address'],
    ['no items', { ...good, items: '\n \n' }, 'items', 'items needs at least 1 entry'],
    ['an item too long', { ...good, items: `ok\n${'y'.repeat(201)}` }, 'items', 'items[1] must be at most 200 characters'],
    ['a description too long', { ...good, description: 'd'.repeat(2001) }, 'description', 'description must be at most 2000 characters']
  ] as const)('%s', async (_, fields, input, words) => {
    const api = await viaApi(asJson(fields));
    const form = await viaForm(fields);
    expect(api).toEqual({ status: 400, error: words });
    expect(form.status).toBe(400);
    expect(form.errors[input]).toBe(sentence(words));
  });

  it('a refusal of the service (a customer as the mechanic) is the same too', async () => {
    const api = await viaApi(asJson({ ...good, mechanicId: customerId }));
    const form = await viaForm({ ...good, mechanicId: customerId });
    expect(api).toEqual({ status: 400, error: 'mechanicId is not a mechanic' });
    expect(form).toEqual({ status: 400, errors: { mechanicId: sentence(api.error!) } });
  });

  it('good input makes a job both ways', async () => {
    expect((await viaApi(asJson(good))).status).toBe(201);
    expect((await viaForm(good)).status).toBe(200);
  });
});
