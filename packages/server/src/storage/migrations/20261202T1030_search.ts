import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Search over the jobs read model (docs/api.md `GET /api/jobs?q=`) and how long jobs stay in
 * each status. Only adds. Rows stored before get their search text from the columns they have
 * (number, bike, customer name); serial and phone arrive with the job's next projection.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('serial', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('jobs').addColumn('customer_phone', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('jobs').addColumn('search_text', 'text', (c) => c.notNull().defaultTo('')).execute();
  await sql`update jobs set search_text = lower(cast(number as text) || ' ' || bike || ' ' || customer_name)`.execute(db);
  // A bike's page looks a serial up exactly; a search narrows by status or mechanic first, newest first.
  await db.schema.createIndex('jobs_serial').on('jobs').column('serial').execute();
  await db.schema.createIndex('jobs_customer_phone').on('jobs').column('customer_phone').execute();
  await db.schema.createIndex('jobs_status_number').on('jobs').columns(['status', 'number']).execute();
  // Free text matches anywhere in a word, which no b-tree can seek; this one holds everything a
  // search compares, in the order answers are given, so a search reads the index (not the
  // wide rows) newest first and stops at the answer's limit, fetching only the rows it returns.
  await db.schema.createIndex('jobs_search').on('jobs').columns(['number', 'status', 'assignee_id', 'customer_id', 'search_text', 'customer_phone']).execute();
  await db.schema.createIndex('jobs_assignee_number').on('jobs').columns(['assignee_id', 'number']).execute();

  await db.schema
    .createTable('job_status_spans')
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text', (c) => c.notNull())
    .addColumn('hours', dialect === 'postgres' ? 'double precision' : 'real', (c) => c.notNull())
    .addPrimaryKeyConstraint('job_status_spans_pk', ['job_id', 'status', 'started_at'])
    .execute();
  await db.schema.createIndex('job_status_spans_ended').on('job_status_spans').column('ended_at').execute();
}
