/**
 * The dashboard numbers (docs/api.md: `GET /api/manager/stats`, `GET /api/mechanic/stats`), one
 * definition for the server that computes them and the pages that show them.
 */

export interface ManagerStats {
  jobsByStatus: Record<string, number>;
  activeJobs: number;
  stuck: number;
  awaitingQc: number;
  readyForPickup: number;
  mechanics: { id: string; name: string; activeJobs: number }[];
  /** Hours from intake to collection: overall, and per ISO week of collection (last 12 weeks). */
  turnaround: {
    averageHours: number | null;
    collected: number;
    byWeek: { week: string; averageHours: number | null; collected: number }[];
  };
  liveConnections: number;
  /** Jobs past their promised time, neither ready nor collected (SPEC E13). */
  overdue: number;
  /** Clocked hours per mechanic id over all jobs (SPEC C3), to two decimals. */
  clockedHoursByMechanic: Record<string, number>;
  /** Hours from intake to collection of the jobs collected in the last 12 weeks; null when none. */
  turnaroundHours: { p50: number | null; p90: number | null };
  /** Median hours a job stayed in each status (stays that ended in the last 12 weeks); a status no job left is absent. */
  hoursInStatus: Record<string, number>;
}

export interface MechanicStats {
  assigned: number;
  inProgress: number;
  stuck: number;
  awaitingQc: number;
  completed: number;
  itemsDone: number;
}
