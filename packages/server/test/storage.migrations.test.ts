/**
 * Migrations (src/storage/migrations/, run by Kysely's Migrator in src/storage/migrate.ts):
 * every migration on an empty database gives the committed schema; a database made by the
 * earlier hand-written runner upgrades without running anything twice; instances starting
 * together migrate once. SQLite always, PostgreSQL when TEST_DATABASE_URL is set.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATION_TABLE } from 'kysely';
import { openDatabase, type OpenDatabase } from '../src/storage/database.js';
import { MIGRATIONS } from '../src/storage/migrations/index.js';
import { describeSchema, rawDatabase, type AnyDb } from './helpers/schema.js';
import { testDatabase, type TestDatabase } from './helpers/server.js';

const dialects = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/** A fresh database of that dialect (testDatabase follows TEST_DATABASE_URL; SQLite ignores it). */
async function freshDatabase(dialect: string): Promise<TestDatabase> {
  const db = await testDatabase();
  return dialect === 'sqlite' ? { ...db, databaseUrl: null } : db;
}

const opened: OpenDatabase[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) await o.close();
});
async function open(where: TestDatabase): Promise<OpenDatabase> {
  const o = await openDatabase(where);
  opened.push(o);
  return o;
}

const HOW_TO_UPDATE =
  'The schema after every migration is not the committed one. If you added a migration on purpose, ' +
  'update the snapshots: `npx vitest run test/storage.migrations.test.ts -u` in packages/server, and once more with ' +
  'TEST_DATABASE_URL=postgres://… for test/schema/postgres.json; review the diff (it must only add).';

/** The earlier runner: its table, then the first `count` migrations, each recorded there. */
async function migrateTheEarlierWay(db: AnyDb, dialect: 'sqlite' | 'postgres', count: number): Promise<void> {
  await db.schema
    .createTable('schema_migrations')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();
  for (const [name, load] of Object.entries(MIGRATIONS).slice(0, count)) {
    await db.transaction().execute(async (trx) => {
      await (await load()).up(trx, dialect);
      await trx.insertInto('schema_migrations').values({ name, applied_at: new Date().toISOString() }).execute();
    });
  }
}

describe.each(dialects)('migrations on %s', (dialect) => {
  it('every migration on an empty database gives the committed schema', async () => {
    const where = await freshDatabase(dialect);
    const o = await open(where);
    const schema = await describeSchema(o.db as unknown as AnyDb, o.dialect);
    await expect(JSON.stringify(schema, null, 2) + '\n', HOW_TO_UPDATE).toMatchFileSnapshot(`./schema/${dialect}.json`);
    const ran = await (o.db as unknown as AnyDb).selectFrom(DEFAULT_MIGRATION_TABLE).select('name').orderBy('name').execute();
    expect(ran.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS).sort());
  });

  for (const [label, count] of [
    ['all', Object.keys(MIGRATIONS).length],
    ['the first two', 2]
  ] as const) {
    it(`a database the earlier runner migrated (${label} of them) upgrades: its records adopted, nothing run twice, its rows kept`, async () => {
      const where = await freshDatabase(dialect);
      const raw = rawDatabase(where);
      try {
        await migrateTheEarlierWay(raw.db, raw.dialect, count);
        await raw.db
          .insertInto('users')
          .values({ id: 'u1', email: 'ann@example.com', name: 'Ann', role: 'manager', password_hash: null, created_at: '2026-11-27T08:00:00Z' })
          .execute();
      } finally {
        await raw.db.destroy();
      }
      // Running a migration twice fails (its `create table` finds the table), so opening proves the adoption.
      const o = await open(where);
      const db = o.db as unknown as AnyDb;
      expect((await db.selectFrom('users').select('name').execute()).map((r) => r.name)).toEqual(['Ann']);
      const ran = await db.selectFrom(DEFAULT_MIGRATION_TABLE).select('name').orderBy('name').execute();
      expect(ran.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS).sort());
      // Same schema as a fresh database: the earlier bookkeeping table is gone too.
      const fresh = await open(await freshDatabase(dialect));
      expect(await describeSchema(db, o.dialect)).toEqual(await describeSchema(fresh.db as unknown as AnyDb, fresh.dialect));
    });
  }

  it('two instances opening one new database at once migrate it once', async () => {
    const where = await freshDatabase(dialect);
    const [a] = await Promise.all([open(where), open(where)]);
    const ran = await (a.db as unknown as AnyDb).selectFrom(DEFAULT_MIGRATION_TABLE).select('name').execute();
    expect(ran).toHaveLength(Object.keys(MIGRATIONS).length);
  });

  it('a migration that fails leaves nothing half-done and names itself', async () => {
    const where = await freshDatabase(dialect);
    // A table in the way of the first migration's second table: `create table sessions` fails after `users` was made.
    const raw = rawDatabase(where);
    try {
      await raw.db.schema.createTable('sessions').addColumn('id', 'text').execute();
    } finally {
      await raw.db.destroy();
    }
    await expect(openDatabase(where)).rejects.toThrow(/migration 20261126T2200_initial failed/);
    const after = rawDatabase(where);
    try {
      const tables = (await after.db.introspection.getTables()).map((t) => t.name);
      expect(tables).not.toContain('users');
    } finally {
      await after.db.destroy();
    }
  });
});
