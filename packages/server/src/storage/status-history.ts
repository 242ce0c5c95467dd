/**
 * How long jobs stay in each status (`hoursInStatus` of `GET /api/manager/stats`). The read
 * model keeps only the current status and its start; the projector records the span that
 * ended whenever a job's status changes. Written once per job, status and start, so an
 * instance projecting a change another already projected adds nothing.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface StatusSpan {
  jobId: string;
  status: string;
  startedAt: string;
  endedAt: string;
}

export interface StatusHistoryStore {
  recordSpans(spans: StatusSpan[]): Promise<void>;
  /** Every span that ended at or after `since`, as status and hours. */
  spansEndedSince(since: string): Promise<{ status: string; hours: number }[]>;
}

export class KyselyStatusHistory implements StatusHistoryStore {
  constructor(private readonly db: Kysely<Database>) {}

  async recordSpans(spans: StatusSpan[]): Promise<void> {
    if (spans.length === 0) return;
    const rows = spans.map((s) => ({
      job_id: s.jobId,
      status: s.status,
      started_at: s.startedAt,
      ended_at: s.endedAt,
      hours: Math.max(0, (Date.parse(s.endedAt) - Date.parse(s.startedAt)) / 3_600_000)
    }));
    await this.db
      .insertInto('job_status_spans')
      .values(rows)
      .onConflict((oc) => oc.columns(['job_id', 'status', 'started_at']).doNothing())
      .execute();
  }

  async spansEndedSince(since: string): Promise<{ status: string; hours: number }[]> {
    const rows = await this.db.selectFrom('job_status_spans').select(['status', 'hours']).where('ended_at', '>=', since).execute();
    return rows.map((r) => ({ status: r.status, hours: Number(r.hours) }));
  }
}
