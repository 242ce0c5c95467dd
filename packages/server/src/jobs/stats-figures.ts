/**
 * Turnaround and time-in-status figures of `GET /api/manager/stats`, over the last weeks:
 * medians and the 90th percentile, which a few very slow jobs do not drag like an average.
 */
import type { ManagerStats } from '@pitboard/job-model';
import type { JobRow } from '../storage/index.js';

/** How far back the figures look. */
export const STATS_WEEKS = 12;

export function statsSince(now: number): string {
  return new Date(now - STATS_WEEKS * 7 * 24 * 3_600_000).toISOString();
}

/** Nearest-rank percentile, rounded to a hundredth of an hour (36 s); null for no values. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return Math.round(sorted[rank - 1]! * 100) / 100;
}

/** Hours from intake to collection of the jobs collected since `since`. */
export function turnaroundHours(jobs: JobRow[], since: string): ManagerStats['turnaroundHours'] {
  const hours = jobs
    .filter((j) => j.collectedAt !== null && j.collectedAt >= since)
    .map((j) => Math.max(0, (Date.parse(j.collectedAt!) - Date.parse(j.createdAt)) / 3_600_000));
  return { p50: percentile(hours, 50), p90: percentile(hours, 90) };
}

/** The median hours a job stayed in each status, of the stays that ended in the window. */
export function hoursInStatus(spans: { status: string; hours: number }[]): ManagerStats['hoursInStatus'] {
  const byStatus = new Map<string, number[]>();
  for (const span of spans) byStatus.set(span.status, [...(byStatus.get(span.status) ?? []), span.hours]);
  return Object.fromEntries([...byStatus].map(([status, hours]) => [status, percentile(hours, 50)!]));
}
