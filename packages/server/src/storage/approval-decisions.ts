/**
 * The once-only record of customers' decisions (SPEC A4). A decision is claimed here before it
 * is written to the job document: the primary key (job, item) lets exactly one claim win, on
 * one instance or several sharing the database, so a second click, another tab or a replayed
 * request gets a 409 and changes nothing. The row also keeps what was decided, so a claim whose
 * document write never happened (a crash in between) can be written again from it.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface ApprovalDecisionRow {
  jobId: string;
  itemId: string;
  decision: 'approved' | 'declined';
  title: string;
  price: number;
  shareLinkId: string;
  decidedAt: string;
}

export interface ApprovalDecisions {
  /** True when this call recorded the decision; false when the line already had one. */
  claim(row: ApprovalDecisionRow): Promise<boolean>;
  /** Undoes a claim whose document write failed (nothing else may remove one). */
  release(jobId: string, itemId: string, decidedAt: string): Promise<void>;
  get(jobId: string, itemId: string): Promise<ApprovalDecisionRow | null>;
}

export class KyselyApprovalDecisions implements ApprovalDecisions {
  constructor(private readonly db: Kysely<Database>) {}

  async claim(row: ApprovalDecisionRow): Promise<boolean> {
    const result = await this.db
      .insertInto('approval_decisions')
      .values({
        job_id: row.jobId,
        item_id: row.itemId,
        decision: row.decision,
        title: row.title,
        price: row.price,
        share_link_id: row.shareLinkId,
        decided_at: row.decidedAt
      })
      .onConflict((oc) => oc.columns(['job_id', 'item_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async release(jobId: string, itemId: string, decidedAt: string): Promise<void> {
    await this.db.deleteFrom('approval_decisions').where('job_id', '=', jobId).where('item_id', '=', itemId).where('decided_at', '=', decidedAt).execute();
  }

  async get(jobId: string, itemId: string): Promise<ApprovalDecisionRow | null> {
    const r = await this.db.selectFrom('approval_decisions').selectAll().where('job_id', '=', jobId).where('item_id', '=', itemId).executeTakeFirst();
    return r
      ? { jobId: r.job_id, itemId: r.item_id, decision: r.decision, title: r.title, price: Number(r.price), shareLinkId: r.share_link_id, decidedAt: r.decided_at }
      : null;
  }
}
