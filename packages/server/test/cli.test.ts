import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../src/auth/users.js';
import { openStorage } from '../src/storage/index.js';
import { api, spawnServer, testDatabase, type ChildServer, type TestDatabase } from './helpers/server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/**
 * The CLI as `npm run cli` runs it (package.json), minus npm's own process: each call starts
 * Node with tsx (≈ 1 s, several on a loaded 2-core machine), so the tests that make several
 * calls get a budget sized for that rather than the 30 s default.
 */
const cli = (db: TestDatabase, ...args: string[]) =>
  spawnSync(process.execPath, ['--conditions=pitboard-source', '--import', 'tsx', 'packages/server/src/cli/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, ...db.env },
    encoding: 'utf8'
  });

describe('CLI', { timeout: 180_000 }, () => {
  let db: TestDatabase;
  let server: ChildServer;
  beforeAll(async () => {
    db = await testDatabase();
    const added = cli(db, 'user', 'add', '--role', 'mechanic', '--email', 'New@Shop.dev', '--name', 'New Mechanic', '--password', 'spokes-and-nipples');
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    expect(added.stdout).toMatch(/added mechanic new@shop\.dev/);
  });
  afterAll(() => server?.kill('SIGKILL'));

  it('user add creates a user who can then log in', async () => {
    server = await spawnServer(db);
    const r = await api(server.url).post('/api/auth/login', { email: 'new@shop.dev', password: 'spokes-and-nipples' });
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ email: 'new@shop.dev', name: 'New Mechanic', role: 'mechanic' });
  });

  it('user list shows users', () => {
    const listed = cli(db, 'user', 'list');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(/mechanic\tnew@shop\.dev\tNew Mechanic/);
  });

  // PostgreSQL deployments back up with pg_dump (docs/deploy.md); this is the SQLite backup.
  it.skipIf(!!process.env.TEST_DATABASE_URL)('backup copies the live database (online backup) into a file that opens with every user', async () => {
    const target = path.join(db.dataDir, 'backup.sqlite');
    const r = cli(db, 'backup', target);
    expect(r.status).toBe(0);
    const copy = await openStorage({ databaseUrl: null, dataDir: db.dataDir, fileName: 'backup.sqlite' });
    expect((await copy.getUserByEmail('new@shop.dev'))?.role).toBe('mechanic');
    await copy.close();
  });

  it('bad input: a clear error, exit code non-zero, nothing changed', () => {
    const dup = cli(db, 'user', 'add', '--role', 'mechanic', '--email', 'new@shop.dev', '--name', 'X', '--password', 'long-enough');
    expect(dup.status).toBe(1);
    expect(dup.stderr).toMatch(/a user with that email exists/);
    const badRole = cli(db, 'user', 'add', '--role', 'boss', '--email', 'b@shop.dev', '--name', 'X', '--password', 'long-enough');
    expect(badRole.stderr).toMatch(/role must be one of/);
    const missing = cli(db, 'user', 'add', '--role', 'manager');
    expect(missing.status).toBe(2);
    expect(cli(db, 'user', 'list').stdout.trim().split('\n')).toHaveLength(1);
  });

  it('user set-role and user remove: bad input is refused and changes nothing; a user named by a job stays', async () => {
    const roleOf = async (email: string) => {
      const storage = await openStorage({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      try {
        return (await storage.getUserByEmail(email))?.role ?? null;
      } finally {
        await storage.close();
      }
    };
    const badRole = cli(db, 'user', 'set-role', '--email', 'new@shop.dev', '--role', 'boss');
    expect(badRole.status).toBe(1);
    expect(badRole.stderr).toMatch(/role must be one of/);
    expect(cli(db, 'user', 'set-role', '--email', 'new@shop.dev').status).toBe(2);
    const unknown = cli(db, 'user', 'remove', '--email', 'nobody@shop.dev');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/no user with email nobody@shop\.dev/);
    expect(await roleOf('new@shop.dev')).toBe('mechanic');

    // A mechanic still assigned to a job cannot be removed (the job would point at no one).
    const storage = await openStorage({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
    await addUser(storage, { role: 'manager', email: 'boss@shop.dev', name: 'Boss', password: 'long-enough' });
    const mechanicId = (await storage.getUserByEmail('new@shop.dev'))!.id;
    await storage.close();
    server ??= await spawnServer(db);
    const { token } = (await api(server.url).post('/api/auth/login', { email: 'boss@shop.dev', password: 'long-enough' })).body;
    expect((await api(server.url, token).post('/api/jobs', { bike: 'B', customer: { name: 'C' }, items: ['X'], mechanicId })).status).toBe(201);
    const refused = cli(db, 'user', 'remove', '--email', 'new@shop.dev');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/reassign them first/);
    expect(await roleOf('new@shop.dev')).toBe('mechanic');

    expect(cli(db, 'user', 'set-role', '--email', 'new@shop.dev', '--role', 'manager').status).toBe(0);
    expect(await roleOf('new@shop.dev')).toBe('manager');
  }, 120_000);
});
