/**
 * The mechanic's job list as last seen, kept in the device's `jobs` table beside the replicas'
 * documents (the `listed` flag), so the list opens offline.
 */
import type { JobSummary } from '@pitboard/job-model';
import type { JobRecord, LocalDb } from '../db';

/** A row of the mechanic's job list, as kept on the device: the part of the server's row it shows. */
export type ListedJob = Pick<JobSummary, 'id' | 'number' | 'bike' | 'status' | 'progress' | 'assigneeId' | 'updatedAt' | 'stuckReason'>;

function recordOf(row: ListedJob, listed: boolean) {
  return {
    id: row.id,
    number: row.number,
    bike: row.bike,
    status: row.status,
    progress: row.progress,
    assigneeId: row.assigneeId,
    updatedAt: row.updatedAt,
    stuckReason: row.stuckReason ?? null,
    listed: listed ? (1 as const) : (0 as const)
  };
}

export class JobListCache {
  constructor(private readonly db: LocalDb) {}

  /** The user's job list as last seen (works offline). */
  async listed(): Promise<ListedJob[]> {
    const rows = await this.db.jobs.where('listed').equals(1).toArray();
    return rows.filter((r) => typeof r.number === 'number').map((r) => ({
      id: r.id,
      number: r.number!,
      bike: r.bike ?? '',
      status: r.status ?? 'assigned',
      progress: r.progress ?? { done: 0, total: 0 },
      assigneeId: r.assigneeId ?? null,
      updatedAt: r.updatedAt ?? '',
      stuckReason: r.stuckReason ?? null
    }));
  }

  /** Stores the server's list (complete = it is the whole list, so missing jobs left it). */
  async saveList(rows: ListedJob[], complete: boolean): Promise<void> {
    const ids = new Set(rows.map((r) => r.id));
    await this.db.transaction('rw', this.db.jobs, async () => {
      for (const row of rows) {
        const values = recordOf(row, true);
        const n = await this.db.jobs.update(row.id, values);
        // The document column is y-dexie's: a row added here gets its (empty) document on first open.
        if (!n) await this.db.jobs.add(values as JobRecord);
      }
      if (complete) {
        const stale = await this.db.jobs.where('listed').equals(1).filter((r) => !ids.has(r.id)).primaryKeys();
        for (const id of stale) await this.db.jobs.update(id, { listed: 0 });
      }
    });
  }

  /** Updates one row of the list (a live row from the inbox). */
  async saveRow(row: ListedJob, listed: boolean): Promise<void> {
    const values = recordOf(row, listed);
    await this.db.transaction('rw', this.db.jobs, async () => {
      const n = await this.db.jobs.update(row.id, values);
      if (!n && listed) await this.db.jobs.add(values as JobRecord);
    });
  }
}
