/** The workshop-day numbers of `GET /api/manager/stats`, from the read model (never documents). */
import { clockedMsByMechanic, isOverdue, type ManagerStats } from '@pitboard/job-model';
import type { JobRow } from '../storage/index.js';

export function workshopDayStats(jobs: JobRow[], now: number): Pick<ManagerStats, 'overdue' | 'clockedHoursByMechanic'> {
  const ms = new Map<string, number>();
  for (const job of jobs) for (const [mechanicId, v] of clockedMsByMechanic(job.clock, now)) ms.set(mechanicId, (ms.get(mechanicId) ?? 0) + v);
  return {
    overdue: jobs.filter((j) => isOverdue(j.promisedAt, j.status, now)).length,
    clockedHoursByMechanic: Object.fromEntries([...ms].map(([id, v]) => [id, Math.round((v / 3_600_000) * 100) / 100]))
  };
}
