import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Approvals (SPEC A4): `approval_decisions` holds each line's decision once — its primary key
 * is what makes a second click, another tab, a replayed request or another instance get a 409 —
 * and job rows carry the job's `total` (cents). Only adds: rows stored before start at 0, which
 * is right for jobs that have no prices yet, and are recomputed on their next change.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('total', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('approval_decisions')
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('price', 'integer', (c) => c.notNull())
    .addColumn('share_link_id', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('approval_decisions_pk', ['job_id', 'item_id'])
    .execute();
}
