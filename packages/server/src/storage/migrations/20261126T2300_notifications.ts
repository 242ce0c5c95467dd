import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Notifications, stored once per recipient and logical event (unique key), with a
 * monotonic `seq` so a reconnecting client catches up after its cursor; and each job's event
 * baseline (the facts last turned into events), advanced in the same transaction.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('event_key', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addColumn('resolved_at', 'text')
    .addUniqueConstraint('notifications_once', ['user_id', 'job_id', 'event_key'])
    .execute();
  await db.schema.createIndex('notifications_user_seq').on('notifications').columns(['user_id', 'seq']).execute();
  await db.schema.createIndex('notifications_job').on('notifications').columns(['job_id', 'resolved_at']).execute();

  await db.schema
    .createTable('counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();
  await db.insertInto('counters').values({ name: 'notification_seq', value: 0 }).execute();

  await db.schema.alterTable('jobs').addColumn('event_baseline', 'text').execute();
}
