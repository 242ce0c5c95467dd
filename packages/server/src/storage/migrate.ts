/**
 * Brings a database's schema up to date with Kysely's `Migrator` over the list in
 * `migrations/index.ts`. Kysely keeps its own bookkeeping (`kysely_migration`, and a lock:
 * one instance migrates while others starting against the same database wait), applies the
 * pending migrations in one transaction on both dialects (all or none), and refuses to start
 * when a migration that ran is missing from the list.
 *
 * Databases made before the Migrator kept their bookkeeping in `schema_migrations`; those
 * records are adopted (copied over, the old table dropped) first, so nothing runs twice.
 */
import { DEFAULT_MIGRATION_TABLE, Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './dialect.js';
import { MIGRATIONS } from './migrations/index.js';

/** The bookkeeping table of the hand-written runner that came before the Migrator. */
const EARLIER_TABLE = 'schema_migrations';

// Migrations and bookkeeping run on tables the `Database` type does not describe.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** The registered migrations, each given the dialect it runs on. */
class ListedMigrations implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const loaded = await Promise.all(
      Object.entries(MIGRATIONS).map(async ([name, load]): Promise<[string, Migration]> => {
        const migration = await load();
        return [name, { up: (db) => migration.up(db, this.dialect) }];
      })
    );
    return Object.fromEntries(loaded);
  }
}

export async function migrateToLatest(db: AnyDb, dialect: Dialect): Promise<void> {
  await adoptEarlierBookkeeping(db, dialect);
  const migrator = new Migrator({
    db,
    provider: new ListedMigrations(dialect),
    // Branches add migrations side by side (each only adds), so a database that already ran a
    // later-named one may meet an earlier-named newcomer after a merge: run it rather than refuse.
    allowUnorderedMigrations: true
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(failed ? `migration ${failed.migrationName} failed: ${message}` : `migrations: ${message}`, { cause: error });
  }
}

async function adoptEarlierBookkeeping(db: AnyDb, dialect: Dialect): Promise<void> {
  if (!(await hasTable(db, EARLIER_TABLE))) return;
  await db.transaction().execute(async (trx) => {
    // The earlier runner's lock: instances starting together adopt once, one after the other.
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(7244110)`.execute(trx);
    if (!(await hasTable(trx, EARLIER_TABLE))) return; // another instance adopted them meanwhile
    // The table exactly as the Migrator makes it (it then finds it and uses it).
    await trx.schema
      .createTable(DEFAULT_MIGRATION_TABLE)
      .ifNotExists()
      .addColumn('name', 'varchar(255)', (c) => c.notNull().primaryKey())
      .addColumn('timestamp', 'varchar(255)', (c) => c.notNull())
      .execute();
    const known = new Set((await trx.selectFrom(DEFAULT_MIGRATION_TABLE).select('name').execute()).map((r) => r.name as string));
    const earlier = await trx.selectFrom(EARLIER_TABLE).select(['name', 'applied_at']).orderBy('name').execute();
    for (const r of earlier) {
      if (!known.has(r.name)) await trx.insertInto(DEFAULT_MIGRATION_TABLE).values({ name: r.name, timestamp: r.applied_at }).execute();
    }
    await trx.schema.dropTable(EARLIER_TABLE).execute();
  });
}

async function hasTable(db: AnyDb, name: string): Promise<boolean> {
  return (await db.introspection.getTables()).some((t) => t.name === name);
}
