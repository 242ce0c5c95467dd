/**
 * Notifications: stored once per recipient and logical event, each job's event baseline
 * advanced with them (the notification engine's one atomic step), read and caught up by `seq`.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Dialect } from './dialect.js';
import { notificationQueries } from './prepared.js';
import type { Database, NotificationsTable } from './schema.js';

export interface NotificationRow {
  id: string;
  seq: number;
  userId: string;
  jobId: string;
  kind: string;
  eventKey: string;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
  resolvedAt: string | null;
}

/** A notification to store: a row's content, before storage gives it an id and a `seq`. */
export interface NewNotification extends Pick<NotificationRow, 'userId' | 'jobId' | 'kind' | 'eventKey' | 'title' | 'body' | 'createdAt'> {
  /** Replace (and mark unread again) an entry with the same key instead of keeping the first. */
  coalesce?: boolean;
}

export interface JobEventsInput {
  jobId: string;
  /**
   * From the stored baseline to what to store; null: nothing to record (an older reading of the
   * job). `resolveMoot: false` says no open notification can have turned moot (nothing `isMoot`
   * reads changed): the open ones are then not even read.
   */
  compute: (baseline: string | null) => { baseline: string; notifications: NewNotification[]; resolveMoot?: boolean } | null;
  isMoot: (n: NotificationRow) => boolean;
}

export interface JobEventsResult {
  /** Notifications stored by this call (new, or coalesced into an existing entry). */
  stored: NotificationRow[];
  /** Open notifications of the job this call marked resolved (with a new `seq`, like markRead). */
  resolved: NotificationRow[];
}

export interface NotificationStore {
  /**
   * One atomic step of the notification engine, for one or more jobs: reads each job's event
   * baseline (the facts last turned into events), lets `compute` derive what to store from it,
   * stores those notifications at most once per (user, job, event key), saves the new baseline,
   * and marks the job's open notifications that `isMoot` says are moot as resolved. Concurrent
   * calls for one job (two instances) are serialised, so each logical event is stored once.
   * One transaction for the whole batch; results in the order of `jobs`.
   */
  recordJobEvents(jobs: JobEventsInput[], at: string): Promise<JobEventsResult[]>;
  /** Newest first; or, with `afterSeq`, everything after that cursor in order (catch-up). */
  listNotifications(userId: string, options?: { afterSeq?: number; limit?: number; unreadOnly?: boolean }): Promise<NotificationRow[]>;
  countUnread(userId: string): Promise<number>;
  /**
   * Marks the user's notifications read and moves them to the end of the change order (new
   * `seq`), so other devices catching up see the change; returns the changed rows.
   */
  markRead(userId: string, which: string[] | 'all', at: string): Promise<NotificationRow[]>;
  /** Deletes read notifications read before `readBefore`; returns how many. */
  pruneNotifications(readBefore: string): Promise<number>;
}

/** A new, unread notification's row with its place `seq` in the change order. */
export function newNotificationRow(n: NewNotification, seq: number): NotificationsTable {
  return {
    id: crypto.randomUUID(),
    seq,
    user_id: n.userId,
    job_id: n.jobId,
    kind: n.kind,
    event_key: n.eventKey,
    title: n.title,
    body: n.body,
    created_at: n.createdAt,
    read_at: null,
    resolved_at: null
  };
}

export function toNotification(r: Selectable<NotificationsTable>): NotificationRow {
  return {
    id: r.id,
    seq: Number(r.seq),
    userId: r.user_id,
    jobId: r.job_id,
    kind: r.kind,
    eventKey: r.event_key,
    title: r.title,
    body: r.body,
    createdAt: r.created_at,
    readAt: r.read_at,
    resolvedAt: r.resolved_at
  };
}

export function notificationStore(db: Kysely<Database>, dialect: Dialect): NotificationStore {
  const q = notificationQueries(db, dialect);
  const nextSeq = (trx: Kysely<Database>) => q.nextSeq.run<{ value: number }>(trx, []).then((r) => Number(r.rows[0]!.value));

  async function recordOneJobEvents(trx: Kysely<Database>, { jobId, compute, isMoot }: JobEventsInput, at: string): Promise<JobEventsResult> {
    const job = (await q.baseline.run<{ event_baseline: string | null }>(trx, [jobId])).rows[0];
    if (!job) return { stored: [], resolved: [] };
    const computed = compute(job.event_baseline ?? null);
    if (!computed) return { stored: [], resolved: [] };
    const { baseline, notifications, resolveMoot = true } = computed;
    const stored: NotificationRow[] = [];
    for (const n of notifications) {
      const seq = await nextSeq(trx);
      if (n.coalesce) {
        const existing = (await q.coalesce.run<Selectable<NotificationsTable>>(trx, [n.title, n.body, n.createdAt, seq, n.userId, n.jobId, n.eventKey])).rows[0];
        if (existing) {
          stored.push(toNotification(existing));
          continue;
        }
      }
      const row = newNotificationRow(n, seq);
      const inserted = await q.insertNotification.run(trx, [row.id, seq, row.user_id, row.job_id, row.kind, row.event_key, row.title, row.body, row.created_at]);
      if (Number(inserted.numAffectedRows ?? 0) > 0) stored.push(toNotification(row));
    }
    // Unchanged (a note, a reload): no write, so a read-only transaction commits for free.
    if (baseline !== job.event_baseline) await q.saveBaseline.run(trx, [baseline, jobId]);

    if (!resolveMoot) return { stored, resolved: [] };
    const open = (await q.openOfJob.run<Selectable<NotificationsTable>>(trx, [jobId])).rows.map(toNotification);
    const resolved: NotificationRow[] = [];
    for (const n of open.filter(isMoot)) {
      const seq = await nextSeq(trx);
      await q.resolve.run(trx, [at, seq, n.id]);
      resolved.push({ ...n, resolvedAt: at, seq });
    }
    return { stored, resolved };
  }

  return {
    async recordJobEvents(jobs, at) {
      if (jobs.length === 0) return [];
      // Jobs in id order: two instances locking overlapping batches take the locks in one order.
      const order = jobs.map((job, i) => ({ job, i })).sort((a, b) => (a.job.jobId < b.job.jobId ? -1 : a.job.jobId > b.job.jobId ? 1 : a.i - b.i));
      return db.transaction().execute(async (trx) => {
        const results: JobEventsResult[] = new Array(jobs.length);
        for (const { job, i } of order) results[i] = await recordOneJobEvents(trx, job, at);
        return results;
      });
    },

    async listNotifications(userId, options = {}) {
      let query = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
      if (options.unreadOnly) query = query.where('read_at', 'is', null);
      query = options.afterSeq !== undefined ? query.where('seq', '>', options.afterSeq).orderBy('seq', 'asc') : query.orderBy('seq', 'desc');
      return (await query.limit(options.limit ?? 100).execute()).map(toNotification);
    },

    async countUnread(userId) {
      const r = await q.countUnread.run<{ n: number }>(db, [userId]);
      return Number(r.rows[0]!.n);
    },

    markRead(userId, which, at) {
      if (Array.isArray(which) && which.length === 0) return Promise.resolve([]);
      return db.transaction().execute(async (trx) => {
        let unread = trx.selectFrom('notifications').select('id').where('user_id', '=', userId).where('read_at', 'is', null);
        if (which !== 'all') unread = unread.where('id', 'in', which.slice(0, 1000));
        const changed: NotificationRow[] = [];
        for (const { id } of await unread.orderBy('seq').execute()) {
          const seq = await nextSeq(trx);
          const row = await trx.updateTable('notifications').set({ read_at: at, seq }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
          changed.push(toNotification(row));
        }
        return changed;
      });
    },

    async pruneNotifications(readBefore) {
      const r = await db.deleteFrom('notifications').where('read_at', '<', readBefore).executeTakeFirst();
      return Number(r.numDeletedRows);
    }
  };
}
