import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * The one-row table `/healthz` writes to prove the database takes writes (storage/probe.ts).
 * `if not exists`: databases that ran the earlier probe, which created it itself, have it.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('health_probe')
    .ifNotExists()
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('checked_at', 'text', (c) => c.notNull())
    .execute();
}
