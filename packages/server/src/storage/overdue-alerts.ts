/**
 * Storage of the overdue alerts (SPEC E13): which jobs are past their promised time and not yet
 * announced, and announcing one exactly once. The row in `overdue_alerts` (primary key: job and
 * promised time) is inserted in the same transaction as the managers' notifications, so two
 * instances scanning at once, or a restart in between, still tell each manager once.
 */
import type { Kysely } from 'kysely';
import { newNotificationRow, toNotification, type NewNotification, type NotificationRow } from './notifications.js';
import type { Database } from './schema.js';


export interface OverdueJob {
  jobId: string;
  promisedAt: string;
}

export interface OverdueAlerts {
  /** Jobs past their promised time at `now`, neither ready nor collected, not announced yet; oldest promise first. */
  due(now: string, limit: number): Promise<OverdueJob[]>;
  /**
   * Announces one job's overdue promise: when the job still has that promise and is still not
   * ready, records it and stores `notifications`, in one transaction. Returns what was stored;
   * nothing when it was announced already (here or by another instance) or is no longer due.
   */
  announce(job: OverdueJob, notifications: NewNotification[], at: string): Promise<NotificationRow[]>;
}

const KEPT = ['ready_for_pickup', 'collected'];

export class KyselyOverdueAlerts implements OverdueAlerts {
  constructor(private readonly db: Kysely<Database>) {}

  async due(now: string, limit: number): Promise<OverdueJob[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .select(['id', 'promised_at'])
      .where('promised_at', 'is not', null)
      .where('promised_at', '<=', now)
      .where('status', 'not in', KEPT)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('overdue_alerts as a').select('a.job_id').whereRef('a.job_id', '=', 'jobs.id').whereRef('a.promised_at', '=', 'jobs.promised_at')))
      )
      .orderBy('promised_at')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ jobId: r.id, promisedAt: r.promised_at! }));
  }

  announce(job: OverdueJob, notifications: NewNotification[], at: string): Promise<NotificationRow[]> {
    return this.db.transaction().execute(async (trx) => {
      const still = await trx
        .selectFrom('jobs')
        .select('id')
        .where('id', '=', job.jobId)
        .where('promised_at', '=', job.promisedAt)
        .where('status', 'not in', KEPT)
        .executeTakeFirst();
      if (!still) return [];
      const claimed = await trx
        .insertInto('overdue_alerts')
        .values({ job_id: job.jobId, promised_at: job.promisedAt, fired_at: at })
        .onConflict((oc) => oc.columns(['job_id', 'promised_at']).doNothing())
        .executeTakeFirst();
      if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return [];
      const stored: NotificationRow[] = [];
      for (const n of notifications) {
        const counter = await trx
          .updateTable('counters')
          .set((eb) => ({ value: eb('value', '+', 1) }))
          .where('name', '=', 'notification_seq')
          .returning('value')
          .executeTakeFirstOrThrow();
        const row = newNotificationRow(n, Number(counter.value));
        const inserted = await trx
          .insertInto('notifications')
          .values(row)
          .onConflict((oc) => oc.columns(['user_id', 'job_id', 'event_key']).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
          stored.push(toNotification(row));
        }
      }
      return stored;
    });
  }
}
