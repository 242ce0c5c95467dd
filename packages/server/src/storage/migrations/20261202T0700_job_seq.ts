import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Job rows get a monotonic `seq` like notifications (docs/sync.md, Catching up): every save of
 * a row takes the next value, so a client that reconnects asks for the rows after the last one
 * it saw. Only adds: rows stored before start at 0 and come with a client's first (full) sync.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('jobs_seq').on('jobs').column('seq').execute();
  await db.insertInto('counters').values({ name: 'job_seq', value: 0 }).execute();
}
