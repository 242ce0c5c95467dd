/**
 * P9: once a quality check passed, the items are locked for mechanics. A stray tap on a
 * passed job would otherwise make the QC stale (D2), take "ready for pickup" away from the
 * customer and tell no manager. A manager reopens the job by recording a failing check, which
 * the mechanic is told about (E7). Kept apart from permissions.ts so the rule stays small.
 */
import { factsFromRaw } from './doc.js';
import { deriveStatus } from './status.js';
import type { RawJob, Violation } from './types.js';

/** True while a mechanic may not change items: the job passed QC (D2) or was collected (D1). */
export function itemsLocked(before: RawJob): boolean {
  const status = deriveStatus(factsFromRaw(before));
  return status === 'ready_for_pickup' || status === 'collected';
}

/** P9: a mechanic changes no item of a locked job. */
export function qcLockViolations(before: RawJob, after: RawJob): Violation[] {
  if (!itemsLocked(before)) return [];
  return canonical(before.items) === canonical(after.items) ? [] : [{ path: 'items', reason: 'the items are locked once the quality check passed; a manager reopens the job (P9)' }];
}

/** JSON with keys sorted: equal for equal values whatever order a map lists its keys in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v
  );
}
