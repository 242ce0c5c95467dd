/**
 * May this actor make this change (SPEC P1–P8)? The server runs `checkChange` on every incoming
 * update, comparing the raw document before and after it, so whatever a tampered client
 * writes — unknown keys and roots included — is seen and judged.
 */
import { clockViolations, partViolations } from './day-permissions.js';
import { KNOWN_ROOTS, isKnownRoot } from './doc.js';
import { decisionViolations, itemRuleViolations, proposalViolations, tickRuleViolations } from './approval-rules.js';
import { changedKeys, sameValue } from './compare.js';
import { photoViolations } from './photos.js';
import { qcLockViolations } from './qc-lock.js';
import { LIMITS, NOTE_FIELDS, TICK_FIELDS, entryViolations, fieldViolations, isRecord, shapeViolations } from './schema.js';
import type { Actor, RawJob, Violation, Writer } from './types.js';

/**
 * Every violation of P1–P7, P9–P17 in going from `before` to `after`; empty means allowed.
 * `writer: 'server'` only for the server's own write of a photo it stored for `actor` (P13).
 */
export function checkChange(actor: Writer, before: RawJob, after: RawJob, writer: 'client' | 'server' = 'client'): Violation[] {
  const violations = [...rootViolations(after), ...photoViolations(actor, before, after, writer === 'server')];
  switch (actor.role) {
    case 'manager':
      return [...violations, ...shapeViolations(after), ...itemRuleViolations(before.items, after.items)];
    case 'mechanic':
      return [...violations, ...mechanicViolations(actor.id, before, after)];
    case 'share_link':
      // P12: the server recording a customer's decision; well-formed like any write.
      return [...violations, ...decisionViolations(actor.id, before, after), ...shapeViolations(after)];
    default:
      // P7: customers — and any role this code does not know — change nothing.
      return [
        ...violations,
        ...KNOWN_ROOTS.filter((root) => !sameValue(before[root], after[root])).map((root) => ({
          path: root,
          reason: 'a customer may change nothing (P7)'
        }))
      ];
  }
}

/** P8: may this actor open the job's document? Whoever may open it may also write (within P1–P7). */
export function canOpenJob(actor: Actor, assigneeId: string | null): 'write' | false {
  if (actor.role === 'manager') return 'write';
  if (actor.role === 'mechanic' && assigneeId === actor.id) return 'write';
  return false;
}

/** P1: content only in the roots of S1, S6 and S7, each of its own kind. */
function rootViolations(after: RawJob): Violation[] {
  return [
    ...after.roots.filter((name) => !isKnownRoot(name)).map((path) => ({ path, reason: 'not a root of a job (P1)' })),
    ...after.misshapen.map((path) => ({ path, reason: 'holds content of the wrong kind (P1)' }))
  ];
}

/** P3–P6 and P15–P16, for the assigned mechanic. */
function mechanicViolations(me: string, before: RawJob, after: RawJob): Violation[] {
  return [
    ...changedKeys(before.job, after.job).map((key) => ({ path: `job.${key}`, reason: 'only a manager changes the job (P3)' })),
    ...(sameValue(before.qc, after.qc) ? [] : [{ path: 'qc', reason: 'only a manager records quality checks (P3)' }]),
    ...itemViolations(me, before.items, after.items),
    ...qcLockViolations(before, after),
    ...noteViolations(me, before.notes, after.notes),
    ...stuckViolations(me, before.stuck, after.stuck),
    ...partViolations(me, before.parts, after.parts),
    ...clockViolations(me, before.clock, after.clock)
  ];
}

/**
 * P4: same items, same order, same ids and titles; only the tick fields change. P11: every
 * other item is a proposal of theirs (it may sit anywhere: concurrent appends interleave).
 */
function itemViolations(me: string, before: unknown[], after: unknown[]): Violation[] {
  if (after.length < before.length) return [{ path: 'items', reason: 'only a manager removes items (P4)' }];
  const ticks = tickRuleViolations(before, after);
  if (after.length === before.length) return [...after.flatMap((item, i) => tickViolations(me, `items[${i}]`, before[i], item)), ...ticks];
  const violations: Violation[] = [];
  const taken = new Set(before.filter(isRecord).map((i) => i.id));
  let kept = 0;
  after.forEach((item, i) => {
    const old = before[kept];
    const same = kept < before.length && (isRecord(item) && isRecord(old) ? item.id === old.id : sameValue(item, old));
    if (same) {
      violations.push(...tickViolations(me, `items[${i}]`, old, item));
      kept++;
    } else {
      violations.push(...proposalViolations(me, `items[${i}]`, item, taken));
      if (isRecord(item)) taken.add(item.id);
    }
  });
  if (kept < before.length) violations.push({ path: 'items', reason: 'only a manager removes or moves items (P4)' });
  return [...violations, ...ticks];
}

/** P4 on one item entry (exported for delta-check.ts). */
export function tickViolations(me: string, path: string, before: unknown, after: unknown): Violation[] {
  if (!isRecord(before) || !isRecord(after)) {
    return sameValue(before, after) ? [] : [{ path, reason: 'only a manager edits items (P4)' }];
  }
  const changed = changedKeys(before, after);
  const violations = changed
    .filter((key) => !Object.hasOwn(TICK_FIELDS, key))
    .map((key) => ({ path: `${path}.${key}`, reason: 'a mechanic only ticks items (P4)' }));
  if (!changed.some((key) => Object.hasOwn(TICK_FIELDS, key))) return violations;
  violations.push(...fieldViolations(path, after, TICK_FIELDS));
  // Un-ticking may leave a concurrent tick's doneBy behind (a merge), but never writes a new one.
  const writesDoneBy = changed.includes('doneBy') && after.doneBy !== undefined;
  if ((after.done === true || writesDoneBy) && after.doneBy !== me) {
    violations.push({ path: `${path}.doneBy`, reason: 'a tick carries the id of the mechanic who made it (P4)' });
  }
  if (after.done === true && after.doneAt === undefined) {
    violations.push({ path: `${path}.doneAt`, reason: 'a tick carries its time (P4)' });
  }
  return violations;
}

/**
 * P5: the notes before the change appear unchanged and in the same order after it; every
 * other note is new. New notes may sit anywhere, as concurrent appends interleave.
 */
function noteViolations(me: string, before: unknown[], after: unknown[]): Violation[] {
  const violations: Violation[] = [];
  let kept = 0;
  after.forEach((note, i) => {
    if (kept < before.length && sameValue(note, before[kept])) kept++;
    else violations.push(...newNoteViolations(me, `notes[${i}]`, note));
  });
  if (kept < before.length) {
    violations.push({ path: `notes[${kept}]`, reason: 'existing notes stay unchanged and in order (P5)' });
  }
  return violations;
}

/** P5 on one new note (exported for delta-check.ts). */
export function newNoteViolations(me: string, path: string, note: unknown): Violation[] {
  const violations = entryViolations(path, note, NOTE_FIELDS);
  if (!isRecord(note)) return violations;
  if (note.authorId !== me) violations.push({ path: `${path}.authorId`, reason: 'a mechanic writes notes in their own name (P5)' });
  if (!isText(note.text)) violations.push({ path: `${path}.text`, reason: `must hold 1 to ${LIMITS.text} characters (P5)` });
  return violations;
}

const REPORT_KEYS = ['open', 'reason', 'reportedBy', 'reportedAt'];

/**
 * P6: a mechanic opens, re-opens or re-words the report, in their own name; never resolves it.
 * `open` is judged by what changed, not by the merged result: an offline re-wording that meets
 * a manager's concurrent resolution may merge to a closed report, and must not be refused.
 */
function stuckViolations(me: string, before: Record<string, unknown>, after: Record<string, unknown>): Violation[] {
  const changed = changedKeys(before, after);
  if (changed.length === 0) return [];
  const violations = changed
    .filter((key) => !REPORT_KEYS.includes(key))
    .map((key) => ({ path: `stuck.${key}`, reason: 'a mechanic only opens the stuck report (P6)' }));
  if (changed.includes('open') && after.open !== true) violations.push({ path: 'stuck.open', reason: 'only a manager resolves the stuck report (P6)' });
  if (after.reportedBy !== me) violations.push({ path: 'stuck.reportedBy', reason: 'a mechanic reports stuck in their own name (P6)' });
  if (!isText(after.reason)) violations.push({ path: 'stuck.reason', reason: `must hold 1 to ${LIMITS.text} characters (P6)` });
  if (typeof after.reportedAt !== 'string') violations.push({ path: 'stuck.reportedAt', reason: 'must be a string' });
  return violations;
}

const isText = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '' && value.length <= LIMITS.text;
