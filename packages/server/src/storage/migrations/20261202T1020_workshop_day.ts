import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * The workshop day (docs/sync.md, Promised time, parts and clocked work). Only adds:
 * - `jobs.promised_at`: the promised time, so boards sort by it and the overdue timer finds
 *   jobs past it without loading documents;
 * - `jobs.clock`: the job's clocked sessions reduced to disjoint spans (JSON), so rows and stats
 *   give clocked time as of the moment they are read;
 * - `overdue_alerts`: one row per job and promised time once managers were told it is overdue.
 *   Its primary key makes the alert fire once across restarts and instances.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('promised_at', 'text').execute();
  await db.schema.alterTable('jobs').addColumn('clock', 'text').execute();
  await db.schema.createIndex('jobs_promised_at').on('jobs').column('promised_at').execute();
  await db.schema
    .createTable('overdue_alerts')
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('promised_at', 'text', (c) => c.notNull())
    .addColumn('fired_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('overdue_alerts_pk', ['job_id', 'promised_at'])
    .execute();
}
