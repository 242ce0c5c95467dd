/** The status spans a projection batch ended (storage/status-history.ts): stats read them. */
import type { JobRow, StatusSpan } from '../storage/index.js';

export function endedSpans(changes: { row: JobRow; previous: JobRow | null }[]): StatusSpan[] {
  return changes
    .filter((c): c is { row: JobRow; previous: JobRow } => c.previous !== null && c.previous.status !== c.row.status)
    .map(({ row, previous }) => ({ jobId: row.id, status: previous.status, startedAt: previous.statusSince, endedAt: row.statusSince }));
}
