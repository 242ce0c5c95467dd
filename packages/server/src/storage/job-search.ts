/**
 * Search over the jobs read model (SPEC Q1, docs/api.md `GET /api/jobs?q=`): the columns it
 * looks in, kept by every save of a row, and the query. Generic over the row type so this file
 * needs nothing from storage.ts (which names it).
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, JobsTable } from './schema.js';

export interface JobSearch {
  /** Free text: number, bike, serial, customer name, or a phone (digits compared). */
  q?: string;
  status?: string;
  assigneeId?: string;
  customerId?: string;
  /** Exactly this serial (a bike's page). */
  serial?: string;
  /** Collected jobs are left out unless asked for. */
  includeCollected: boolean;
  limit: number;
}

export interface JobSearchStore<Row> {
  /** Matching rows, newest number first, at most `limit`. */
  searchJobs(search: JobSearch): Promise<Row[]>;
}

/** Q1: what a row is searched by, from the values it shows. */
export function searchColumns(row: { number: number; bike: string; serial: string; customerName: string; customerPhone: string }) {
  const serialKey = row.serial.toLowerCase().replace(/[\s-]/g, '');
  return {
    serial: row.serial,
    customer_phone: row.customerPhone.replace(/\D/g, ''),
    search_text: [String(row.number), row.bike, row.serial, serialKey, row.customerName].join(' ').toLowerCase()
  };
}

/** A phone-like query: only what phone numbers hold, with at least 3 digits. */
export function phoneQuery(q: string): string | null {
  if (!/^\+?[0-9 ()./-]+$/.test(q)) return null;
  const digits = q.replace(/\D/g, '');
  return digits.length >= 3 ? digits : null;
}

/** The columns a job row is read from (everything but `event_baseline`). */
const ROW_COLUMNS = [
  'id', 'number', 'bike', 'description', 'customer_id', 'customer_name', 'assignee_id', 'status', 'items_done', 'items_total',
  'stuck_reason', 'created_at', 'updated_at', 'status_since', 'collected_at', 'seq', 'serial', 'customer_phone', 'search_text',
  'promised_at', 'clock', 'total'
] as const;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const contains = (s: string) => `%${likeEscape(s)}%`;

export class KyselyJobSearch<Row> implements JobSearchStore<Row> {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly toRow: (r: Selectable<JobsTable>) => Row
  ) {}

  async searchJobs(search: JobSearch): Promise<Row[]> {
    // First the numbers: everything this query compares is in the `jobs_search` index, so it
    // reads that index newest first (never the wide rows) and stops at the limit…
    let query = this.db.selectFrom('jobs').select('number').orderBy('number', 'desc').limit(search.limit);
    if (search.status) query = query.where('status', '=', search.status);
    else if (!search.includeCollected) query = query.where('status', '!=', 'collected');
    if (search.assigneeId) query = query.where('assignee_id', '=', search.assigneeId);
    if (search.customerId) query = query.where('customer_id', '=', search.customerId);
    if (search.serial !== undefined) query = query.where('serial', '=', search.serial);
    const q = search.q?.trim().toLowerCase();
    if (q) {
      const digits = phoneQuery(q);
      const like = (text: string) => sql<boolean>`search_text like ${contains(text)} escape '\\'`;
      if (digits) {
        // A number, a serial or a phone: the whole query, or the phone's digits anywhere.
        query = query.where((eb) => eb.or([like(q), like(digits), sql<boolean>`customer_phone like ${contains(digits)} escape '\\'`]));
      } else {
        // Words: every word somewhere ("kona lee"); a word also as a serial without dashes.
        for (const word of q.split(/\s+/)) {
          const key = word.replace(/-/g, '');
          query = query.where((eb) => eb.or([like(word), like(key)]));
        }
      }
    }
    const numbers = (await query.execute()).map((r) => Number(r.number));
    if (numbers.length === 0) return [];
    // …then only the rows it answers with. Not selectAll: a row's event baseline (the job's facts
    // as JSON) is the notifier's, and large.
    const rows = await this.db.selectFrom('jobs').select(ROW_COLUMNS).where('number', 'in', numbers).orderBy('number', 'desc').execute();
    return rows.map((r) => this.toRow({ ...r, event_baseline: null }));
  }
}
