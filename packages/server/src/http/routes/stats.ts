import { JOB_STATUSES, type ManagerStats, type MechanicStats } from '@pitboard/job-model';
import { requireRole } from '../../auth/access.js';
import { workshopDayStats } from '../../jobs/workshop-day-stats.js';
import type { JobRow, Storage } from '../../storage/index.js';
import { json, type Router } from '../router.js';
import { jobSummary } from '../../jobs/projection.js';
import { hoursInStatus, statsSince, turnaroundHours } from '../../jobs/stats-figures.js';

/** The seed's dashboard numbers, computed from the read model (never from documents). */
export function statsRoutes(router: Router, deps: { storage: Storage; liveConnections(): number }) {
  const { storage } = deps;

  router.on('GET', '/api/manager/stats', async (ctx) => {
    requireRole(await ctx.actor(), 'manager');
    const since = statsSince(Date.now());
    const [jobs, mechanics, spans] = await Promise.all([storage.listJobs(), storage.listUsers('mechanic'), storage.statusHistory.spansEndedSince(since)]);
    const byStatus = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<string, number>;
    for (const j of jobs) byStatus[j.status] = (byStatus[j.status] ?? 0) + 1;
    const active = jobs.filter((j) => j.status !== 'collected');
    return json({
      jobsByStatus: byStatus,
      activeJobs: active.length,
      stuck: byStatus.stuck ?? 0,
      awaitingQc: byStatus.quality_check ?? 0,
      readyForPickup: byStatus.ready_for_pickup ?? 0,
      mechanics: mechanics.map((m) => ({
        id: m.id,
        name: m.name,
        activeJobs: active.filter((j) => j.assigneeId === m.id).length
      })),
      turnaround: turnaround(jobs),
      liveConnections: deps.liveConnections(),
      ...workshopDayStats(jobs, Date.now()),
      turnaroundHours: turnaroundHours(jobs, since),
      hoursInStatus: hoursInStatus(spans)
    } satisfies ManagerStats);
  });

  router.on('GET', '/api/mechanic/stats', async (ctx) => {
    const actor = await ctx.actor();
    requireRole(actor, 'mechanic');
    const mine = await storage.listJobs({ assigneeId: actor.id });
    const count = (s: string) => mine.filter((j) => j.status === s).length;
    return json({
      assigned: mine.filter((j) => j.status !== 'collected').length,
      inProgress: count('in_progress') + count('assigned'),
      stuck: count('stuck'),
      awaitingQc: count('quality_check'),
      completed: count('ready_for_pickup') + count('collected'),
      itemsDone: mine.reduce((n, j) => n + j.itemsDone, 0)
    } satisfies MechanicStats);
  });

  router.on('GET', '/api/customer/active-repairs', async (ctx) => {
    const actor = await ctx.actor();
    requireRole(actor, 'customer');
    const mine = await storage.listJobs({ customerId: actor.id, activeOnly: true });
    return json(mine.map((j) => jobSummary(j, false)));
  });
}

/** Hours from intake to collection, per ISO week of collection, for the last 12 weeks. */
function turnaround(jobs: JobRow[]): ManagerStats['turnaround'] {
  const done = jobs.filter((j) => j.collectedAt);
  const hours = (j: JobRow) => (Date.parse(j.collectedAt!) - Date.parse(j.createdAt)) / 3600_000;
  const weeks = new Map<string, number[]>();
  for (const j of done) {
    const d = new Date(j.collectedAt!);
    d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
    const week = d.toISOString().slice(0, 10);
    weeks.set(week, [...(weeks.get(week) ?? []), hours(j)]);
  }
  const average = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : null);
  return {
    averageHours: average(done.map(hours)),
    collected: done.length,
    byWeek: [...weeks]
      .sort(([a], [b]) => a.localeCompare(b))
      .slice(-12)
      .map(([week, xs]) => ({ week, averageHours: average(xs), collected: xs.length }))
  };
}
