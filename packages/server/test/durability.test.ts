/**
 * What the server accepted survives: a restart, a `kill -9` right after client edits, a
 * `kill -9` right after a 2xx API write, and SIGTERM (graceful: documents stored, exit 0).
 */
import { readJob, setItemDone } from '@pitboard/job-model';
import { afterEach, describe, expect, it } from 'vitest';
import { addUser } from '../src/auth/users.js';
import { api, connect, openTestStorage, spawnServer, testDatabase, type ChildServer, type TestDatabase } from './helpers/server.js';

async function seedUsers(db: TestDatabase) {
  const storage = await openTestStorage(db);
  await addUser(storage, { role: 'manager', email: 'boss@test.dev', name: 'Boss', password: 'correct horse' });
  await addUser(storage, { role: 'mechanic', email: 'mech@test.dev', name: 'Mech', password: 'correct horse' });
  await storage.close();
}

async function login(url: string, email: string) {
  const r = await api(url).post('/api/auth/login', { email, password: 'correct horse' });
  expect(r.status).toBe(200);
  return r.body as { token: string; user: { id: string } };
}

describe('durability', () => {
  let server: ChildServer | null = null;
  afterEach(async () => {
    await server?.kill('SIGKILL');
    server = null;
  });

  it('kill -9 right after acknowledged client edits and a 2xx API write loses nothing', async () => {
    const db = await testDatabase();
    await seedUsers(db);
    server = await spawnServer(db);
    const boss = await login(server.url, 'boss@test.dev');
    const mech = await login(server.url, 'mech@test.dev');
    const items = Array.from({ length: 20 }, (_, i) => `Item ${i + 1}`);
    const created = await api(server.url, boss.token).post('/api/jobs', { bike: 'Bike', customer: { name: 'C' }, items, mechanicId: mech.user.id });
    expect(created.status).toBe(201);
    const jobId = created.body.id;

    const client = await connect(server.wsUrl, `job:${jobId}`, mech.token);
    for (const item of readJob(client.doc).items) setItemDone(client.doc, item.id, true, mech.user.id, new Date().toISOString());
    await client.settled(); // acknowledged by the server…
    const qc = await api(server.url, boss.token).post(`/api/jobs/${jobId}/qc`, { pass: true, note: 'ok' });
    expect(qc.status).toBe(200); // …and a 2xx API write
    await server.kill('SIGKILL'); // no chance to store anything
    client.close();

    server = await spawnServer(db);
    const boss2 = await login(server.url, 'boss@test.dev');
    const view = await api(server.url, boss2.token).get(`/api/jobs/${jobId}`);
    expect(view.status).toBe(200);
    expect(view.body.items.every((i: { done: boolean }) => i.done)).toBe(true);
    expect(view.body.qc).toHaveLength(1);
    expect(view.body.status).toBe('ready_for_pickup');
  });

  it('a job created with a 2xx survives kill -9 at once, and a restart keeps every job', async () => {
    const db = await testDatabase();
    await seedUsers(db);
    server = await spawnServer(db);
    const boss = await login(server.url, 'boss@test.dev');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await api(server.url, boss.token).post('/api/jobs', { bike: `Bike ${i}`, customer: { name: 'C' }, items: ['A'] });
      ids.push(r.body.id);
    }
    await server.kill('SIGKILL');
    server = await spawnServer(db);
    const list = await api(server.url, (await login(server.url, 'boss@test.dev')).token).get('/api/jobs');
    expect(list.body.map((j: { id: string }) => j.id).sort()).toEqual([...ids].sort());
  });

  it('SIGTERM stops gracefully: documents stored, database closed, exit code 0', async () => {
    const db = await testDatabase();
    await seedUsers(db);
    server = await spawnServer(db);
    const boss = await login(server.url, 'boss@test.dev');
    const mech = await login(server.url, 'mech@test.dev');
    const r = await api(server.url, boss.token).post('/api/jobs', { bike: 'B', customer: { name: 'C' }, items: ['A', 'B'], mechanicId: mech.user.id });
    const client = await connect(server.wsUrl, `job:${r.body.id}`, mech.token);
    setItemDone(client.doc, readJob(client.doc).items[0]!.id, true, mech.user.id, new Date().toISOString());
    await client.settled();
    const code = await server.kill('SIGTERM');
    client.close();
    expect(code).toBe(0);
    expect(server.output()).toMatch(/"msg":"stopped"/);
    server = null;
    // Stored as a snapshot: the update log of that document was folded in.
    const storage = await openTestStorage(db);
    expect(await storage.countLoggedUpdates(`job:${r.body.id}`)).toBe(0);
    const state = await storage.loadDocument(`job:${r.body.id}`);
    await storage.close();
    expect(state).not.toBeNull();
  });
});
