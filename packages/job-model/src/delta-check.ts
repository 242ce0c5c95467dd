/**
 * Checking only what an update touched (issue 15: work proportional to the update). When a
 * transaction only ticks existing items and appends notes (touched.ts), a mechanic's change is
 * judged on those entries — P4 on each ticked item, P9 on the items, P5 on each new note — with
 * the document before the change given as a cached RawJob. The verdict is the one
 * `checkChange(actor, before, after)` gives on the whole documents (a test pins it on random
 * and tampered updates): the paths not touched are equal before and after, and every rule
 * passes on equal paths. Anything else is not a delta: the caller reads and judges it whole.
 */
import type * as Y from 'yjs';
import { notesArray, itemsArray, rawEntry } from './doc.js';
import { tickRuleViolations } from './approval-rules.js';
import { newNoteViolations, tickViolations } from './permissions.js';
import { qcLockViolations } from './qc-lock.js';
import { entryIndex, tailOrder, type Touched } from './touched.js';
import type { RawJob, Violation } from './types.js';

export interface JobDelta {
  /** Entries of `items` whose tick fields changed: their index and raw value after the change. */
  items: { index: number; after: unknown }[];
  /** Notes appended to `notes`, in order, raw. */
  notes: unknown[];
}

/** The delta a touched transaction made, read from `doc` after it; null when it is not one. */
export function deltaOf(doc: Y.Doc, touched: Touched): JobDelta | null {
  if (touched.other) return null;
  const items: JobDelta['items'] = [];
  for (const map of touched.ticked) {
    const index = map._item === null ? -1 : entryIndex(itemsArray(doc), map._item);
    if (index < 0) return null;
    items.push({ index, after: rawEntry(map) });
  }
  const order = tailOrder(notesArray(doc), touched.newNotes);
  if (order === null) return null;
  return { items, notes: order.map(rawEntry) };
}

/**
 * Whether `before` lets a delta be judged alone: nothing ill-formed or unknown anywhere (P1 would
 * refuse every change of such a document, which only the whole-document check reports).
 */
export function deltaCheckable(before: RawJob): boolean {
  return before.misshapen.length === 0 && before.roots.every((root) => ['job', 'items', 'notes', 'stuck', 'qc'].includes(root));
}

/** P4, P5, P9 and A1's tick rule for the assigned mechanic `me`, on the delta alone. */
export function mechanicDeltaViolations(me: string, before: RawJob, delta: JobDelta): Violation[] {
  const violations: Violation[] = [];
  for (const { index, after } of delta.items) violations.push(...tickViolations(me, `items[${index}]`, before.items[index], after));
  if (delta.items.length > 0) {
    // P9 reads the status before the change, which notes do not move: leave them out.
    const itemsAfter = [...before.items];
    for (const { index, after } of delta.items) itemsAfter[index] = after;
    violations.push(...qcLockViolations({ ...before, notes: [] }, { ...before, notes: [], items: itemsAfter }));
    // A1: a line waiting for the customer, or declined, is not ticked.
    violations.push(...tickRuleViolations(before.items, itemsAfter));
  }
  delta.notes.forEach((note, k) => violations.push(...newNoteViolations(me, `notes[${before.notes.length + k}]`, note)));
  return violations;
}

/** Patches `raw` (the document before) in place into the document after the delta. */
export function applyDelta(raw: RawJob, delta: JobDelta): void {
  for (const { index, after } of delta.items) raw.items[index] = after;
  if (delta.notes.length === 0) return;
  for (const note of delta.notes) raw.notes.push(note);
  if (!raw.roots.includes('notes')) raw.roots.push('notes');
}
