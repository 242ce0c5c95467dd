import type { Kysely } from 'kysely';

/**
 * Web Push: the server's VAPID key pair (one row, made on first start) and one subscription per
 * device. A signed-in device's subscription belongs to its session, so ending the session (sign-out,
 * expiry, a role change, removal) deletes it with the session; a share-page viewer's belongs to
 * the link it was made from.
 */
// Kysely<any>: a migration runs against the schema as it was then, not today's table types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('push_keys')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('private_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('push_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('endpoint', 'text', (c) => c.notNull().unique())
    .addColumn('p256dh', 'text', (c) => c.notNull())
    .addColumn('auth', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('session_id', 'text', (c) => c.references('sessions.id').onDelete('cascade'))
    .addColumn('share_link_id', 'text', (c) => c.references('share_links.id').onDelete('cascade'))
    .addColumn('job_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('push_subscriptions_user').on('push_subscriptions').column('user_id').execute();
  await db.schema.createIndex('push_subscriptions_job').on('push_subscriptions').column('job_id').execute();
}
