/**
 * Jobs: the read model (one row per job, re-derived from its document by the Projector), and
 * job creation — row, first document state, and optionally a new customer and a first share
 * link, in one transaction.
 */
import type { Kysely, Selectable } from 'kysely';
import type { ClockSpan, JobFacts } from '@pitboard/job-model';
import { searchColumns } from './job-search.js';
import { Prepared } from './prepared.js';
import { readClock } from './workshop-day-columns.js';
import type { Database, JobsTable } from './schema.js';
import { insertShareLink, type ShareLinkRow } from './share-links.js';
import { insertUser, type UserRow } from './users.js';

/** A job's row in the read model: its identifying facts as the job model names them, and what is derived. */
export interface JobRow extends Pick<JobFacts, 'id' | 'number' | 'bike' | 'description' | 'customerId' | 'customerName' | 'assigneeId'> {
  status: string;
  itemsDone: number;
  itemsTotal: number;
  stuckReason: string | null;
  createdAt: string;
  updatedAt: string;
  statusSince: string;
  collectedAt: string | null;
  /** Position in the order of job-row changes, set by storage on every save (0: not saved since the column came). */
  seq: number;
  /** When the bike was promised back (SPEC S7), or null. */
  promisedAt: string | null;
  /** Clocked work as disjoint spans (SPEC C3): clocked time is computed when read. */
  clock: ClockSpan[];
  /** Sum of the prices of the lines not declined, in cents (SPEC A5). */
  total: number;
  /** The bike's serial (SPEC S8), '' when none. */
  serial: string;
  /** The customer's phone as digits only, for search (Q1); never in a list row. */
  customerPhone: string;
}

export interface JobFilter {
  status?: string;
  assigneeId?: string;
  customerId?: string;
  /** Leave collected jobs out. */
  activeOnly?: boolean;
  /** Only rows saved after this position, in `seq` order (catch-up) instead of newest number first. */
  afterSeq?: number;
  limit?: number;
}

export interface JobStore {
  /**
   * Gives the next job number to `build`, then stores the row it returns and the document's
   * first state (as its snapshot) atomically — with `newCustomer` and `shareLink`, the job's
   * new customer account and first share link too, so a job that fails leaves nothing behind.
   */
  createJob(
    build: (number: number) => { row: JobRow; documentName: string; update: Uint8Array },
    options?: { newCustomer?: UserRow; shareLink?: ShareLinkRow }
  ): Promise<JobRow>;
  getJob(id: string): Promise<JobRow | null>;
  listJobs(filter?: JobFilter): Promise<JobRow[]>;
  /**
   * Replaces the read-model row of an existing job (no-op for an unknown id) with the next
   * `seq`; returns the row as saved.
   */
  saveJob(row: JobRow): Promise<JobRow>;
  /** `saveJob` for several jobs, in one transaction; the saved rows in the order given. */
  saveJobs(rows: JobRow[]): Promise<JobRow[]>;
  /** The `seq` of the latest committed job-row save (0 before any). */
  lastJobSeq(): Promise<number>;
}

export function toJob(r: Selectable<JobsTable>): JobRow {
  return {
    id: r.id,
    number: Number(r.number),
    bike: r.bike,
    description: r.description,
    customerId: r.customer_id,
    customerName: r.customer_name,
    assigneeId: r.assignee_id,
    status: r.status,
    itemsDone: Number(r.items_done),
    itemsTotal: Number(r.items_total),
    stuckReason: r.stuck_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    statusSince: r.status_since,
    collectedAt: r.collected_at,
    seq: Number(r.seq),
    promisedAt: r.promised_at ?? null,
    clock: readClock(r.clock),
    total: Number(r.total ?? 0),
    serial: r.serial ?? '',
    customerPhone: r.customer_phone ?? ''
  };
}

export function fromJob(j: JobRow): JobsTable {
  return {
    id: j.id,
    number: j.number,
    bike: j.bike,
    description: j.description,
    customer_id: j.customerId,
    customer_name: j.customerName,
    assignee_id: j.assigneeId,
    status: j.status,
    items_done: j.itemsDone,
    items_total: j.itemsTotal,
    stuck_reason: j.stuckReason,
    created_at: j.createdAt,
    updated_at: j.updatedAt,
    status_since: j.statusSince,
    collected_at: j.collectedAt,
    seq: j.seq,
    promised_at: j.promisedAt,
    clock: j.clock.length === 0 ? null : JSON.stringify(j.clock),
    total: j.total,
    ...searchColumns(j)
  };
}

export function jobStore(db: Kysely<Database>): JobStore {
  // The queries every projected edit runs, built once (prepared.ts).
  /** Advances the job-row counter by a batch's size (docs/sync.md, Catching up). */
  const advanceJobSeqQuery = new Prepared<[number]>((arg) =>
    db
      .updateTable('counters')
      .set((eb) => ({ value: eb('value', '+', arg(0)) }))
      .where('name', '=', 'job_seq')
      .returning('value')
  );
  /** Takes `count` job-row seqs in the caller's transaction; returns the last one. */
  const advanceJobSeq = (trx: Kysely<Database>, count: number) =>
    advanceJobSeqQuery.run<{ value: number }>(trx, [count]).then((r) => Number(r.rows[0]!.value));

  /** UPDATE jobs SET (every column of `values`) WHERE id: built once per set of columns. */
  const jobUpdates = new Map<string, Prepared<unknown[]>>();
  const updateJobRow = (trx: Kysely<Database>, id: string, values: Omit<JobsTable, 'id'>) => {
    const columns = Object.keys(values) as (keyof typeof values)[];
    const key = columns.join();
    let update = jobUpdates.get(key);
    if (!update) {
      update = new Prepared<unknown[]>((arg) => db.updateTable('jobs').set(Object.fromEntries(columns.map((c, i) => [c, arg(i)]))).where('id', '=', arg(columns.length)));
      jobUpdates.set(key, update);
    }
    return update.run(trx, [...columns.map((c) => values[c]), id]);
  };

  const saveJobs = async (rows: JobRow[]): Promise<JobRow[]> => {
    if (rows.length === 0) return [];
    // One commit for the batch. The `job_seq` counter row stays locked until the commit, so
    // saves commit in `seq` order: a client that saw seq N has seen every save before it.
    // Rows in id order, as recordJobEvents locks them (no deadlock between the two on PostgreSQL).
    return db.transaction().execute(async (trx) => {
      const last = await advanceJobSeq(trx, rows.length);
      const order = rows.map((row, i) => ({ row, i })).sort((a, b) => (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : a.i - b.i));
      const saved: JobRow[] = new Array(rows.length);
      for (const [k, { row, i }] of order.entries()) {
        saved[i] = { ...row, seq: last - rows.length + 1 + k };
        const { id, ...rest } = fromJob(saved[i]!);
        await updateJobRow(trx, id, rest);
      }
      return saved;
    });
  };

  return {
    createJob(build, options = {}) {
      return db.transaction().execute(async (trx) => {
        if (options.newCustomer) await insertUser(trx, options.newCustomer);
        const max = await trx
          .selectFrom('jobs')
          .select((eb) => eb.fn.max<number | null>('number').as('n'))
          .executeTakeFirst();
        const built = build(Number(max?.n ?? 1000) + 1);
        const { documentName, update } = built;
        const row = { ...built.row, seq: await advanceJobSeq(trx, 1) };
        await trx.insertInto('jobs').values(fromJob(row)).execute();
        // The first state is the snapshot: nothing to fold, nothing to recover at the next start.
        await trx.insertInto('documents').values({ name: documentName, state: update, updated_at: row.createdAt }).execute();
        if (options.shareLink) await insertShareLink(trx, options.shareLink);
        return row;
      });
    },

    async getJob(id) {
      const r = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toJob(r) : null;
    },

    async listJobs(filter = {}) {
      let q = db.selectFrom('jobs').selectAll().orderBy('number', 'desc');
      if (filter.status) q = q.where('status', '=', filter.status);
      if (filter.assigneeId) q = q.where('assignee_id', '=', filter.assigneeId);
      if (filter.customerId) q = q.where('customer_id', '=', filter.customerId);
      if (filter.activeOnly) q = q.where('status', '!=', 'collected');
      if (filter.afterSeq !== undefined) q = q.where('seq', '>', filter.afterSeq).clearOrderBy().orderBy('seq', 'asc');
      if (filter.limit) q = q.limit(filter.limit);
      return (await q.execute()).map(toJob);
    },

    saveJob: async (row) => (await saveJobs([row]))[0]!,
    saveJobs,

    async lastJobSeq() {
      const r = await db.selectFrom('counters').select('value').where('name', '=', 'job_seq').executeTakeFirst();
      return Number(r?.value ?? 0);
    }
  };
}
