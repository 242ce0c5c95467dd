/**
 * Web Push storage: the VAPID key pair and the devices' subscriptions (migration
 * 20261202T1040_push). A small store of its own beside the Storage interface.
 */
import type { Kysely } from 'kysely';
import type { OpenDatabase } from './database.js';

export interface PushSubscriptionRow {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  /** Signed-in devices: the user and the session that subscribed (deleted with it). */
  userId: string | null;
  sessionId: string | null;
  /** Share-page viewers: the link they subscribed from and its job. */
  shareLinkId: string | null;
  jobId: string | null;
  createdAt: string;
}

interface PushTables {
  push_keys: { id: number; public_key: string; private_key: string; created_at: string };
  push_subscriptions: {
    id: string;
    endpoint: string;
    p256dh: string;
    auth: string;
    user_id: string | null;
    session_id: string | null;
    share_link_id: string | null;
    job_id: string | null;
    created_at: string;
  };
  share_links: { id: string; job_id: string; revoked_at: string | null; expires_at: string | null };
}

export class PushStorage {
  private readonly db: Kysely<PushTables>;

  constructor(database: OpenDatabase) {
    this.db = database.db as unknown as Kysely<PushTables>;
  }

  /**
   * The stored key pair; `make` is called only when there is none. Several instances starting at
   * once: the first insert wins and everyone reads the winner.
   */
  async vapidKeys(make: () => { publicKey: string; privateKey: string }): Promise<{ publicKey: string; privateKey: string }> {
    const read = () => this.db.selectFrom('push_keys').select(['public_key', 'private_key']).where('id', '=', 1).executeTakeFirst();
    let row = await read();
    if (!row) {
      const keys = make();
      await this.db
        .insertInto('push_keys')
        .values({ id: 1, public_key: keys.publicKey, private_key: keys.privateKey, created_at: new Date().toISOString() })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      row = await read();
    }
    return { publicKey: row!.public_key, privateKey: row!.private_key };
  }

  /**
   * Stores a device's subscription. One row per endpoint: a browser that subscribes again (another
   * account on the same phone, another share link) moves its row to the new owner.
   */
  async save(row: PushSubscriptionRow): Promise<void> {
    const values = toTable(row);
    // The row keeps its id and endpoint; everything else is the new owner's.
    const changes = { p256dh: values.p256dh, auth: values.auth, user_id: values.user_id, session_id: values.session_id, share_link_id: values.share_link_id, job_id: values.job_id, created_at: values.created_at };
    await this.db
      .insertInto('push_subscriptions')
      .values(values)
      .onConflict((oc) => oc.column('endpoint').doUpdateSet(changes))
      .execute();
  }

  /** Keeps only the newest `keep` subscriptions of a user or of a share link (a bound per owner). */
  async trim(owner: { userId: string } | { shareLinkId: string }, keep: number): Promise<void> {
    const column = 'userId' in owner ? 'user_id' : 'share_link_id';
    const value = 'userId' in owner ? owner.userId : owner.shareLinkId;
    const rows = await this.db.selectFrom('push_subscriptions').select('id').where(column, '=', value).orderBy('created_at', 'desc').orderBy('id').execute();
    const extra = rows.slice(keep).map((r) => r.id);
    if (extra.length) await this.db.deleteFrom('push_subscriptions').where('id', 'in', extra).execute();
  }

  /** Deletes the subscription with this endpoint when `owner` holds it; whether one was deleted. */
  async remove(endpoint: string, owner: { userId: string } | { shareLinkId: string }): Promise<boolean> {
    let q = this.db.deleteFrom('push_subscriptions').where('endpoint', '=', endpoint);
    q = 'userId' in owner ? q.where('user_id', '=', owner.userId) : q.where('share_link_id', '=', owner.shareLinkId);
    const result = await q.executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** The push service said the subscription is gone (404/410). */
  async removeById(id: string): Promise<void> {
    await this.db.deleteFrom('push_subscriptions').where('id', '=', id).execute();
  }

  forUsers(userIds: string[]): Promise<PushSubscriptionRow[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('push_subscriptions').selectAll().where('user_id', 'in', userIds).execute().then((rows) => rows.map(fromTable));
  }

  /** Share-page viewers of a job whose link still works. */
  async forShareViewers(jobId: string, now: string): Promise<PushSubscriptionRow[]> {
    const rows = await this.db
      .selectFrom('push_subscriptions as s')
      .innerJoin('share_links as l', 'l.id', 's.share_link_id')
      .selectAll('s')
      .where('s.job_id', '=', jobId)
      .where('l.revoked_at', 'is', null)
      .where((eb) => eb.or([eb('l.expires_at', 'is', null), eb('l.expires_at', '>', now)]))
      .execute();
    return rows.map(fromTable);
  }

  countFor(owner: { sessionId: string } | { userId: string }): Promise<number> {
    const q = this.db.selectFrom('push_subscriptions').select((eb) => eb.fn.countAll<number>().as('n'));
    const where = 'sessionId' in owner ? q.where('session_id', '=', owner.sessionId) : q.where('user_id', '=', owner.userId);
    return where.executeTakeFirst().then((r) => Number(r?.n ?? 0));
  }
}

function toTable(r: PushSubscriptionRow): PushTables['push_subscriptions'] {
  return {
    id: r.id,
    endpoint: r.endpoint,
    p256dh: r.p256dh,
    auth: r.auth,
    user_id: r.userId,
    session_id: r.sessionId,
    share_link_id: r.shareLinkId,
    job_id: r.jobId,
    created_at: r.createdAt
  };
}

function fromTable(r: PushTables['push_subscriptions']): PushSubscriptionRow {
  return {
    id: r.id,
    endpoint: r.endpoint,
    p256dh: r.p256dh,
    auth: r.auth,
    userId: r.user_id,
    sessionId: r.session_id,
    shareLinkId: r.share_link_id,
    jobId: r.job_id,
    createdAt: r.created_at
  };
}
