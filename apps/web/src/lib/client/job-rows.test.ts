/** The job-row store's rules (docs/sync.md, Catching up): newer seq wins, whole sets prune. */
import type { JobSummary } from '@pitboard/job-model';
import { describe, expect, it } from 'vitest';
import { JobRows } from './job-rows.svelte';

const row = (id: string, seq: number, status = 'assigned'): JobSummary => ({
  id,
  number: 1,
  bike: id,
  status,
  progress: { done: 0, total: 1 },
  assigneeId: null,
  customerId: 'c',
  updatedAt: '',
  statusSince: '',
  createdAt: '',
  seq,
  promisedAt: null,
  overdue: false,
  clockedSeconds: 0,
  total: 0
});

describe('JobRows', () => {
  it('keeps the copy with the larger seq, whatever order they arrive in', () => {
    const rows = new JobRows();
    rows.apply(row('a', 5, 'stuck'));
    rows.apply(row('a', 3, 'assigned'));
    expect(rows.rows.a!.status).toBe('stuck');
  });

  it('moves the cursor only with catch-up pages, never with a live row', () => {
    const rows = new JobRows();
    rows.apply(row('a', 9));
    expect(rows.cursor).toBe(0);
    rows.receive({ jobs: [row('b', 4)], cursor: 4, more: false, full: false });
    expect(rows.cursor).toBe(4);
  });

  it('a whole set, over several pages, drops what it left out — but not a newer live row', () => {
    const rows = new JobRows();
    rows.apply(row('gone', 2));
    expect(rows.receive({ jobs: [row('a', 3)], cursor: 10, more: true, full: true })).toBe(true);
    rows.apply(row('new', 11)); // live, after the set was read
    expect(rows.complete).toBe(false);
    expect(rows.receive({ jobs: [row('b', 12)], cursor: 12, more: false, full: false })).toBe(false);
    expect(Object.keys(rows.rows).sort()).toEqual(['a', 'b', 'new']);
    expect(rows.complete).toBe(true);
  });

  it('merges the rows a page was rendered with: newer wins; once complete, a row no longer visible goes', () => {
    const rows = new JobRows();
    rows.receive({ jobs: [row('a', 7, 'stuck')], cursor: 8, more: false, full: true });
    const shown = rows.merged([row('a', 5), row('left', 6), row('later', 9)]);
    expect(Object.fromEntries(shown.map((r) => [r.id, r.status]))).toEqual({ a: 'stuck', later: 'assigned' });
  });
});
