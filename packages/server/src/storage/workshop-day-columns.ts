/** Reading the workshop-day columns of a job row (migration 20261202T1020_workshop_day). */
import type { ClockSpan } from '@pitboard/job-model';

/** The stored spans, or none when the column is empty or not what was written. */
export function readClock(json: string | null | undefined): ClockSpan[] {
  if (!json) return [];
  try {
    const spans: unknown = JSON.parse(json);
    if (!Array.isArray(spans)) return [];
    return spans.filter(
      (s): s is ClockSpan =>
        typeof s === 'object' && s !== null && typeof s.mechanicId === 'string' && typeof s.startedAt === 'string' && (s.stoppedAt === null || typeof s.stoppedAt === 'string')
    );
  } catch {
    // A column written by no version of this code: read as no clocked work.
    return [];
  }
}
