/**
 * Who may do what, decided in one place. The HTTP API, the services, the pages' guards and the
 * sync extensions ask here instead of comparing roles themselves. Which facts of a job a role
 * may change is job-model's `checkChange` (SPEC P1–P9); who may open a job's document is its
 * `canOpenJob` (P8), which this module builds on. Framework-free: the web app imports it through
 * `@pitboard/server/contract`.
 */
import { canOpenJob, type Actor, type Role, type Writer } from '@pitboard/job-model';
import { ForbiddenError } from '../errors.js';

/** The plain-words refusal when an area belongs to one role. */
const ONLY: Record<Role, string> = { manager: 'managers only', mechanic: 'mechanics only', customer: 'customers only' };

export function hasRole(who: Pick<Writer, 'role'> | null | undefined, role: Role): boolean {
  return who?.role === role;
}

/** An area of one role (a page, an endpoint): anyone else gets 403 with `refusal` or "<role>s only". */
export function requireRole(who: Pick<Actor, 'role'>, role: Role, refusal: string = ONLY[role]): void {
  if (!hasRole(who, role)) throw new ForbiddenError(refusal);
}

export function requireManager(who: Pick<Actor, 'role'>): void {
  requireRole(who, 'manager');
}

/** Staff see a job row's customer and stuck details; customers see their repair's public part. */
export function seesStaffDetails(who: Pick<Actor, 'role'>): boolean {
  return !hasRole(who, 'customer');
}

/** Managers see every job (the board, every job row live); others only their own. */
export function seesEveryJob(who: Pick<Actor, 'role'>): boolean {
  return hasRole(who, 'manager');
}

/** The jobs someone's lists hold: every job, a mechanic's assigned ones, a customer's own. */
export function jobsVisibleTo(who: Actor): { assigneeId?: string; customerId?: string } {
  if (seesEveryJob(who)) return {};
  return hasRole(who, 'mechanic') ? { assigneeId: who.id } : { customerId: who.id };
}

/** May `who` see this job (staff: the facts, a customer: the public view)? 403 in plain words if not. */
export function requireJobView(who: Actor, job: { customerId: string; assigneeId: string | null }): void {
  if (hasRole(who, 'customer')) {
    if (job.customerId !== who.id) throw new ForbiddenError('not your repair');
    return;
  }
  if (!canOpenJob(who, job.assigneeId)) throw new ForbiddenError('this job is not assigned to you');
}

/**
 * Why `who` may not have the job's document open (or change it) now that its assignee is
 * `assigneeId`, as a shared close-reason code; null when they may (SPEC P7, P8).
 */
export function jobDocumentRefusal(who: Writer, assigneeId: string | null): 'customer' | 'not_assigned' | null {
  // The server writing a customer's decision for their share link (SPEC P12: only the decision fields).
  if (who.role === 'share_link') return null;
  if (canOpenJob(who, assigneeId)) return null;
  return hasRole(who, 'customer') ? 'customer' : 'not_assigned';
}
