/**
 * A job as a file: export from one server, `cli job import` on another (SQLite, and PostgreSQL
 * when TEST_DATABASE_URL is set) gives the same facts and status and replays no notification;
 * `cli export DIR` writes every job; `cli backup` → wipe → `cli restore` brings every job and user
 * back. Before this change the export endpoint was 404 and the CLI knew none of these commands.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importJob } from '../src/jobs/job-import.js';
import { openStorageWithDatabase } from '../src/storage/index.js';
import { JobImportStorage } from '../src/storage/job-import-storage.js';
import { api, createUser, startTestServer, testDatabase, type TestDatabase, type TestServer, type TestUser } from './helpers/server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = (db: TestDatabase, ...args: string[]) =>
  spawnSync('npm', ['run', '--silent', 'cli', '--', ...args], { cwd: root, env: { ...process.env, ...db.env }, encoding: 'utf8' });

describe('a job as a file', () => {
  let source: TestServer;
  let manager: TestUser;
  let mechanic: TestUser;
  let customer: TestUser;
  let jobId: string;
  let file: string;

  beforeAll(async () => {
    source = await startTestServer();
    manager = await createUser(source.pitboard, 'manager');
    mechanic = await createUser(source.pitboard, 'mechanic', 'Max Mechanic');
    customer = await createUser(source.pitboard, 'customer', 'Carla Customer');
    const m = api(source.url, manager.token);
    const created = await m.post('/api/jobs', { bike: 'Kona Sutra', description: 'Touring service', customerId: customer.id, items: ['Chain', 'Cables', 'Bar tape'], mechanicId: mechanic.id });
    jobId = created.body.id;
    await m.post('/api/jobs', { bike: 'Second bike', customerId: customer.id, items: ['Tyres'] });
    const mech = api(source.url, mechanic.token);
    const job = (await m.get(`/api/jobs/${jobId}`)).body;
    await mech.post(`/api/jobs/${jobId}/items/${job.items[0].id}`, { done: true });
    await mech.post(`/api/jobs/${jobId}/notes`, { text: 'Cable housing cracked', visibility: 'internal' });
    await mech.post(`/api/jobs/${jobId}/notes`, { text: 'New chain fitted', visibility: 'customer' });
    await mech.post(`/api/mechanic/repair/${jobId}/stuck`, { reason: 'Waiting for bar tape' });
    file = path.join(source.dataDir, 'job.json');
  });
  afterAll(() => source.stop());

  it('GET /api/jobs/:id/export: managers only; one readable, self-contained file', async () => {
    expect((await api(source.url, mechanic.token).get(`/api/jobs/${jobId}/export`)).status).toBe(403);
    expect((await api(source.url, customer.token).get(`/api/jobs/${jobId}/export`)).status).toBe(403);
    expect((await api(source.url).get(`/api/jobs/${jobId}/export`)).status).toBe(401);
    expect((await api(source.url, manager.token).get('/api/jobs/nosuchjob/export')).status).toBe(404);
    const r = await api(source.url, manager.token).get(`/api/jobs/${jobId}/export`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toMatch(/attachment; filename="pitboard-job-1001\.json"/);
    const view = (await api(source.url, manager.token).get(`/api/jobs/${jobId}`)).body;
    expect(r.body).toMatchObject({ format: 'pitboard-job', version: 1, status: 'stuck', progress: { done: 1, total: 3 }, statusSince: view.statusSince });
    expect(r.body.job).toEqual(factsOf(view));
    expect(r.body.events.map((e: { kind: string }) => e.kind)).toEqual(['assigned', 'progress', 'stuck']);
    expect(r.body.people).toEqual(
      expect.arrayContaining([
        { id: customer.id, name: 'Carla Customer', email: customer.email, role: 'customer' },
        { id: mechanic.id, name: 'Max Mechanic', email: mechanic.email, role: 'mechanic' }
      ])
    );
    expect(typeof r.body.yjs).toBe('string');
    fs.writeFileSync(file, JSON.stringify(r.body));
  });

  // CLI processes start through tsx (seconds each on a busy machine): these get more time.
  it('cli job import on another server: same facts, same status, accounts created, no notification replayed', async () => {
    const target = await testDatabase();
    const imported = cli(target, 'job', 'import', file);
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
    expect(imported.stdout).toMatch(/imported job #1001 \(Kona Sutra, stuck\)/);
    expect(imported.stdout).toMatch(/added customer Carla Customer/);

    const t = await startTestServer({ db: target });
    try {
      const boss = await createUser(t.pitboard, 'manager');
      const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
      const view = (await api(t.url, boss.token).get(`/api/jobs/${jobId}`)).body;
      expect(factsOf(view)).toEqual(exported.job);
      const { status, progress, statusSince } = view;
      expect({ status, progress, statusSince }).toEqual({ status: exported.status, progress: exported.progress, statusSince: exported.statusSince });
      const row = (await api(t.url, boss.token).get('/api/jobs')).body.find((j: { id: string }) => j.id === jobId);
      expect(row).toMatchObject({ number: 1001, status: 'stuck', assigneeId: mechanic.id, customerId: customer.id });
      // Nobody hears about the job's past again: not the stuck alert, not the assignment.
      expect(await t.pitboard.storage.listNotifications(boss.id)).toEqual([]);
      expect(await t.pitboard.storage.listNotifications(mechanic.id)).toEqual([]);
      expect(await t.pitboard.storage.listNotifications(customer.id)).toEqual([]);
      // New intake continues after the imported number.
      const next = await api(t.url, boss.token).post('/api/jobs', { bike: 'New one', customerId: customer.id, items: ['x'] });
      expect(next.body.number).toBe(1002);
      // A new change still notifies as usual: resolving the stuck report tells the mechanic.
      expect((await api(t.url, boss.token).post(`/api/manager/resolve-stuck/${jobId}`, { note: 'tape here' })).status).toBe(200);
      expect((await t.pitboard.storage.listNotifications(mechanic.id)).map((n) => n.kind)).toEqual(['unstuck']);
    } finally {
      await t.stop();
    }

    const again = cli(target, 'job', 'import', file);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/job #1001 \(id .+\) is already on this server/);
  }, 90_000);

  it('a garbled, foreign or hand-edited file is refused with a clear error and changes nothing', async () => {
    const target = await testDatabase();
    const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
    const cases: [string, RegExp][] = [
      ['this is not json', /not a Pitboard job file: it is not JSON/],
      [JSON.stringify({ hello: 1 }), /"format" must be "pitboard-job"/],
      [JSON.stringify({ ...exported, version: 9 }), /version 9/],
      [JSON.stringify({ ...exported, people: undefined }), /incomplete/],
      [JSON.stringify({ ...exported, job: { ...exported.job, bike: 'Edited' } }), /damaged: its Yjs state does not give the facts/],
      [JSON.stringify({ ...exported, yjs: Buffer.from('garbage bytes here').toString('base64') }), /damaged/]
    ];
    // The import itself, in this process (each CLI start costs seconds on a busy machine)…
    const { storage, database } = await openStorageWithDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir });
    try {
      for (const [text, error] of cases) await expect(importJob(storage, new JobImportStorage(database), text)).rejects.toThrow(error);
      expect(await storage.listJobs()).toEqual([]);
      expect(await storage.listUsers()).toEqual([]);
    } finally {
      await storage.close();
    }
    // …and the CLI's words and exit code for one of them, and for a missing file.
    const edited = path.join(source.dataDir, 'edited.json');
    fs.writeFileSync(edited, cases[4]![0]);
    for (const [r, error] of [
      [cli(target, 'job', 'import', edited), /error: the job file is damaged/],
      [cli(target, 'job', 'import', path.join(source.dataDir, 'missing.json')), /no file at/]
    ] as const) {
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(error);
    }
  }, 90_000);

  it('cli export DIR writes every job as its own file', () => {
    const dir = path.join(source.dataDir, 'export');
    const r = cli({ ...testDbOf(source) }, 'export', dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/exported 2 jobs/);
    const files = fs.readdirSync(dir).sort();
    expect(files).toEqual(['pitboard-job-1001.json', 'pitboard-job-1002.json']);
    const second = JSON.parse(fs.readFileSync(path.join(dir, files[1]!), 'utf8'));
    expect(second).toMatchObject({ format: 'pitboard-job', job: { bike: 'Second bike', number: 1002 }, status: 'intake' });
  }, 60_000);

  // PostgreSQL deployments use pg_dump / pg_restore (docs/deploy.md); this is the SQLite pair.
  it.skipIf(!!process.env.TEST_DATABASE_URL)('backup, wipe, restore: every job and user back', async () => {
    const db = await testDatabase();
    const t = await startTestServer({ db });
    const boss = await createUser(t.pitboard, 'manager');
    const buyer = await createUser(t.pitboard, 'customer');
    for (const bike of ['One', 'Two', 'Three']) await api(t.url, boss.token).post('/api/jobs', { bike, customerId: buyer.id, items: ['a', 'b'] });
    const before = { users: await t.pitboard.storage.listUsers(), jobs: await t.pitboard.storage.listJobs() };
    const facts = await Promise.all(before.jobs.map((j) => t.pitboard.jobs.facts(j.id)));
    const backupFile = path.join(tempOutside(db), 'backup.sqlite');
    expect(cli(db, 'backup', backupFile).status).toBe(0);
    await t.stop();

    for (const f of fs.readdirSync(db.dataDir)) if (f.startsWith('pitboard.sqlite')) fs.rmSync(path.join(db.dataDir, f));
    const restored = cli(db, 'restore', backupFile);
    expect(restored.stderr).toBe('');
    expect(restored.status).toBe(0);

    const back = await startTestServer({ db });
    try {
      expect(await back.pitboard.storage.listUsers()).toEqual(before.users);
      expect(await back.pitboard.storage.listJobs()).toEqual(before.jobs);
      expect(await Promise.all(before.jobs.map((j) => back.pitboard.jobs.facts(j.id)))).toEqual(facts);
      const login = await api(back.url, boss.token).get('/api/me');
      expect(login.status).toBe(200);
    } finally {
      await back.stop();
    }

    const junk = path.join(tempOutside(db), 'junk.sqlite');
    fs.writeFileSync(junk, 'not a database at all');
    const refused = cli(db, 'restore', junk);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/is not a Pitboard backup: it is not a SQLite database/);
  }, 90_000);
});

/** A staff view of `GET /api/jobs/:id` without what the server adds to the facts. */
function factsOf(view: Record<string, unknown>): Record<string, unknown> {
  const facts = { ...view };
  for (const derived of ['status', 'progress', 'updatedAt', 'statusSince', 'total', 'overdue', 'clockedSeconds']) delete facts[derived];
  // The job view says `promisedAt: null` for no promise; the facts leave it out.
  if (facts.promisedAt === null) delete facts.promisedAt;
  return facts;
}

function testDbOf(t: TestServer): TestDatabase {
  const url = t.pitboard.config.databaseUrl;
  return { dataDir: t.dataDir, databaseUrl: url, env: { DATA_DIR: t.dataDir, DATABASE_URL: url ?? '' } };
}

function tempOutside(db: TestDatabase): string {
  const dir = path.join(path.dirname(db.dataDir), `${path.basename(db.dataDir)}-backups`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
