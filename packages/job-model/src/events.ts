/**
 * Logical events between two states of a job (SPEC E1–E9), for notifications. A key names the
 * event, not the moment it was seen: the same change seen twice, by two servers or after a
 * restart, yields the same key, so each recipient is told once.
 */
import { approvalEvents, isApprovalRequestMoot, pendingIds } from './approval-events.js';
import { deriveStatus, itemsSignature, progressOf } from './status.js';
import type { JobEvent, JobFacts, QcFacts, StuckFacts } from './types.js';

const stuckKey = (stuck: StuckFacts) => `stuck:${stuck.reportedAt}`;
// Optional event fields stay absent rather than undefined.
const withMechanic = (mechanicId: string | null) => (mechanicId === null ? {} : { mechanicId });
const withNote = (note: string | undefined) => (note === undefined ? {} : { note });

/** E1–E8 in a fixed order. `before` is null for a new job. */
export function deriveEvents(before: JobFacts | null, after: JobFacts): JobEvent[] {
  const jobId = after.id;
  const events: JobEvent[] = [];
  const add = (event: Omit<JobEvent, 'jobId'>) => events.push({ ...event, jobId });

  // E1, E2
  const previous = before?.assigneeId ?? null;
  const since = after.assignedAt ?? 'none';
  if (after.assigneeId !== previous) {
    if (after.assigneeId !== null) {
      add({ kind: 'assigned', key: `assigned:${after.assigneeId}:${since}`, mechanicId: after.assigneeId });
    }
    if (previous !== null) add({ kind: 'unassigned', key: `unassigned:${previous}:${since}`, mechanicId: previous });
  }

  // E3: one coalesced entry per job, however many items were ticked.
  const wasDone = new Set(before?.items.filter((i) => i.done).map((i) => i.id));
  if (after.items.some((i) => i.done && !wasDone.has(i.id))) {
    add({ kind: 'progress', key: 'progress', progress: progressOf(after) });
  }

  // E5, E6
  const was = before?.stuck ?? null;
  const now = after.stuck;
  if (now?.open && !(was?.open && was.reportedAt === now.reportedAt)) {
    add({ kind: 'stuck', key: stuckKey(now), reason: now.reason, mechanicId: now.reportedBy });
  }
  if (was?.open && now && !now.open) {
    add({ kind: 'unstuck', key: `unstuck:${now.resolvedAt ?? 'none'}`, ...withMechanic(after.assigneeId), ...withNote(now.resolution) });
  }

  // E7: QC entries carry no id; who checked and when tells them apart.
  const isNew = (qc: QcFacts) => !before?.qc.some((old) => old.at === qc.at && old.by === qc.by);
  for (const qc of after.qc.filter((q) => !q.pass && isNew(q))) {
    add({ kind: 'qc_failed', key: `qc_failed:${qc.at}`, ...withMechanic(after.assigneeId), ...withNote(qc.note) });
  }

  // E4, E8
  const statusBefore = before === null ? null : deriveStatus(before);
  const status = deriveStatus(after);
  if (status === 'quality_check' && statusBefore !== 'quality_check') {
    add({ kind: 'ready_for_qc', key: `ready_for_qc:${itemsSignature(after.items)}` });
  }
  if (status === 'ready_for_pickup' && statusBefore !== 'ready_for_pickup') {
    add({ kind: 'ready_for_pickup', key: `ready_for_pickup:${after.qc.at(-1)?.at ?? ''}` });
  }
  // E10, E11
  approvalEvents(before, after).forEach(add);

  // E12: a part that got its arrival (not one recorded as already arrived with the order).
  const awaitedBefore = new Set(before?.parts.filter((p) => p.arrivedAt === null).map((p) => p.id));
  for (const part of after.parts.filter((p) => p.arrivedAt !== null && awaitedBefore.has(p.id))) {
    add({ kind: 'parts_arrived', key: `parts_arrived:${part.id}`, ...withMechanic(after.assigneeId), note: part.name });
  }
  return events;
}

/** E9: has the cause of this alert gone from the current facts? (Shown as resolved, not deleted.) */
export function isEventMoot(event: JobEvent, facts: JobFacts): boolean {
  switch (event.kind) {
    case 'ready_for_qc':
      return deriveStatus(facts) !== 'quality_check';
    case 'stuck':
      return !(facts.stuck?.open && stuckKey(facts.stuck) === event.key);
    case 'assigned':
      return facts.assigneeId !== event.mechanicId;
    case 'overdue':
      // E13: kept (ready or collected) or promised anew.
      return isKept(deriveStatus(facts)) || event.key !== overdueKey(facts.promisedAt ?? '');
    case 'approval_requested':
      return isApprovalRequestMoot(event.key.slice('approval_requested:'.length), facts);
    default:
      return false;
  }
}

/**
 * Everything `isEventMoot` reads from the facts, as one string: two states with the same
 * fingerprint make every alert moot in both or in neither, so a change that keeps it has no
 * alert to resolve (the server then skips looking at the open ones). Keep in step with E9 above.
 */
export function mootFingerprint(facts: JobFacts): string {
  return JSON.stringify([deriveStatus(facts), facts.stuck?.open === true ? stuckKey(facts.stuck) : null, facts.assigneeId, facts.promisedAt ?? null, pendingIds(facts)]);
}

/** E13: the key of the overdue alert for one promised time (once per job and promised time). */
export const overdueKey = (promisedAt: string): string => `overdue:${promisedAt}`;

const isKept = (status: string): boolean => status === 'ready_for_pickup' || status === 'collected';
