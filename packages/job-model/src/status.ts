/**
 * Status is derived from the facts, never stored (SPEC D1–D8): every client and the server
 * compute it from the same merged document, so they cannot disagree.
 */
import { isCountable } from './approvals.js';
import type { ItemFacts, JobFacts, JobStatus, Progress, QcFacts } from './types.js';

/**
 * S4: a fingerprint of what a quality check looked at — every item's id, done flag and doneAt,
 * in order. Hashed (64 bits, cyrb53-style) so QC entries and event keys stay short.
 */
export function itemsSignature(items: ItemFacts[]): string {
  // A1: a declined line is out of the job, so declining brings back what a check looked at.
  const text = JSON.stringify(items.filter(isCountable).map((i) => [i.id, i.done, i.doneAt ?? '']));
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const hex = (h: number) => (h >>> 0).toString(16).padStart(8, '0');
  return hex(h2) + hex(h1);
}

/** D2: does `qc` still describe the current items (nothing changed since the check)? */
export function isQcFresh(facts: JobFacts, qc: QcFacts): boolean {
  if (qc.itemsSig !== undefined) return qc.itemsSig === itemsSignature(facts.items);
  // Written by an outside client without a signature: judge by the items' times instead.
  return facts.items.filter(isCountable).every((item) => item.done && !(item.doneAt !== undefined && item.doneAt > qc.at));
}

/** D1, D2, D3, D9, D10, D4–D7: first match wins. */
export function deriveStatus(facts: JobFacts): JobStatus {
  const latest = facts.qc.at(-1);
  const fresh = latest !== undefined && isQcFresh(facts, latest);
  // A1: declined lines count neither for "every item done" nor for progress.
  const items = facts.items.filter(isCountable);
  const allDone = items.length > 0 && items.every((i) => i.done);
  if (facts.collectedAt !== undefined) return 'collected';
  if (latest?.pass === true && fresh) return 'ready_for_pickup';
  if (facts.stuck?.open === true) return 'stuck';
  if (items.some((i) => i.approval === 'pending')) return 'awaiting_approval';
  // D10 (after D3 and D9, before D4): a part ordered and not arrived holds the work up.
  if (facts.parts.some((p) => p.arrivedAt === null)) return 'waiting_for_parts';
  if (allDone && !fresh) return 'quality_check';
  if (items.some((i) => i.done) || latest?.pass === false) return 'in_progress';
  if (facts.assigneeId !== null) return 'assigned';
  return 'intake';
}

export function progressOf(facts: JobFacts): Progress {
  const items = facts.items.filter(isCountable);
  return { done: items.filter((i) => i.done).length, total: items.length };
}
