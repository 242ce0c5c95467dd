/**
 * The job rows this user may see, as the server last told this tab (docs/sync.md, Catching
 * up): live rows and the catch-up pages after every (re)connect land here, the newer `seq` of
 * a row winning, so lists (board, customer list, mechanic list) match the server after any
 * reconnect without a reload. The cursor moves only with catch-up pages, which come from
 * storage in `seq` order: a live row never lets the client skip one it missed.
 */
import type { JobSummary } from '@pitboard/job-model';

export type JobsPage = { jobs: JobSummary[]; cursor: number; more: boolean; full: boolean };

export class JobRows {
  rows = $state<Record<string, JobSummary>>({});
  /** True once a whole visible set has arrived: rows it left out are gone. */
  complete = $state(false);
  cursor = 0;
  /** Ids of the whole set under way (a manager's comes in pages), until its last page. */
  private fullIds: Set<string> | null = null;
  private fullCursor = 0;

  apply(row: JobSummary): void {
    const known = this.rows[row.id];
    if (!known || (row.seq ?? 0) >= (known.seq ?? 0)) this.rows[row.id] = row;
  }

  /** A catch-up page; returns true when there is more to ask for. */
  receive(page: JobsPage): boolean {
    if (page.full) this.fullIds = new Set();
    for (const row of page.jobs) {
      this.fullIds?.add(row.id);
      this.apply(row);
    }
    this.cursor = Math.max(this.cursor, page.cursor);
    if (page.full) this.fullCursor = page.cursor;
    if (!page.more && this.fullIds) {
      // Not in the whole set: no longer visible. Rows newer than the set's first page came live
      // after it was read, and stay.
      for (const [id, row] of Object.entries(this.rows)) {
        if (!this.fullIds.has(id) && (row.seq ?? 0) <= this.fullCursor) delete this.rows[id];
      }
      this.fullIds = null;
      this.complete = true;
    }
    return page.more;
  }

  /**
   * The rows to show, given the ones the page was rendered with: the newer copy of each; once
   * complete, a rendered row this tab no longer has (it left the visible set) is left out.
   */
  merged(rendered: JobSummary[]): JobSummary[] {
    const byId = new Map<string, JobSummary>();
    for (const r of rendered) {
      if (this.complete && !this.rows[r.id] && (r.seq ?? 0) <= this.cursor) continue;
      byId.set(r.id, r);
    }
    for (const r of Object.values(this.rows)) {
      const known = byId.get(r.id);
      if (!known || (r.seq ?? 0) >= (known.seq ?? 0)) byId.set(r.id, r);
    }
    return [...byId.values()];
  }
}
