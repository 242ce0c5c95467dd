/**
 * The shape of a job document (SPEC S1) as data: which fields each map holds and their types.
 * Permission checks use it to judge well-formedness (P2) and the mechanic's new notes and
 * ticks (P4, P5); operations use the same limits for their input.
 */
import type { RawJob, Violation } from './types.js';
import { approvalShapeViolations } from './approval-shape.js';

/** Input limits shared by operations and permission checks. */
export const LIMITS = {
  /** bike and item titles */
  title: 200,
  items: 100,
  /** notes, description, stuck reason and resolution, QC note */
  text: 5000,
  /** reason of a proposed line (S5) */
  reason: 500,
  /** a line's price, in cents (S5): 1,000,000.00 */
  price: 100_000_000,
  /** a bike's serial number (S8) */
  serial: 64,
  /** a customer's phone as entered (S8) */
  phone: 40
} as const;

interface Field {
  required: boolean;
  /** Said in a violation when the value has the wrong type. */
  expected: string;
  accepts(value: unknown): boolean;
}

const string = (required: boolean): Field => ({ required, expected: 'a string', accepts: (v) => typeof v === 'string' });
const boolean: Field = { required: true, expected: 'a boolean', accepts: (v) => typeof v === 'boolean' };
const number: Field = {
  required: true,
  expected: 'a number',
  accepts: (v) => typeof v === 'number' && Number.isFinite(v)
};
/** S5: money is a whole number of cents, never negative. */
const cents: Field = {
  required: false,
  expected: `a whole number of cents from 0 to ${100_000_000}`,
  accepts: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 100_000_000
};
const approvalState: Field = {
  required: false,
  expected: "'pending', 'approved' or 'declined'",
  accepts: (v) => v === 'pending' || v === 'approved' || v === 'declined'
};
const stringOrNull: Field = {
  required: true,
  expected: 'a string or null',
  accepts: (v) => typeof v === 'string' || v === null
};
const visibility: Field = {
  required: true,
  expected: "'internal' or 'customer'",
  accepts: (v) => v === 'internal' || v === 'customer'
};

export type Fields = Readonly<Record<string, Field>>;

const JOB_FIELDS: Fields = {
  id: string(true),
  number,
  bike: string(true),
  description: string(true),
  customerId: string(true),
  customerName: string(true),
  // S8: recorded at intake or later by a manager; absent on jobs made before.
  serial: string(false),
  customerPhone: string(false),
  assigneeId: stringOrNull,
  assignedAt: string(false),
  createdAt: string(true),
  collectedAt: string(false),
  promisedAt: string(false)
};

/** The fields a tick changes; the rest of an item is the manager's (P4). */
export const TICK_FIELDS: Fields = { done: boolean, doneBy: string(false), doneAt: string(false) };

/** S5: a line's price and, when it needs the customer's approval, the proposal and the decision. */
export const APPROVAL_FIELDS: Fields = {
  approval: approvalState,
  reason: string(false),
  proposedBy: string(false),
  proposedAt: string(false),
  decidedAt: string(false),
  decidedVia: string(false),
  decidedTitle: string(false),
  decidedPrice: cents
};

export const ITEM_FIELDS: Fields = { id: string(true), title: string(true), ...TICK_FIELDS, price: cents, ...APPROVAL_FIELDS };

export const NOTE_FIELDS: Fields = {
  id: string(true),
  text: string(true),
  authorId: string(true),
  at: string(true),
  visibility
};

const STUCK_FIELDS: Fields = {
  open: boolean,
  reason: string(true),
  reportedBy: string(true),
  reportedAt: string(true),
  resolution: string(false),
  resolvedBy: string(false),
  resolvedAt: string(false)
};

const QC_FIELDS: Fields = {
  pass: boolean,
  note: string(false),
  by: string(true),
  at: string(true),
  itemsSig: string(false)
};

/** S7, section W: a part ordered for the job. */
export const PART_FIELDS: Fields = {
  id: string(true),
  name: string(true),
  expectedAt: stringOrNull,
  orderedBy: string(true),
  orderedAt: string(true),
  arrivedAt: stringOrNull,
  arrivedBy: stringOrNull
};

/** S7, section C: one clocked work session. */
export const CLOCK_FIELDS: Fields = {
  id: string(true),
  mechanicId: string(true),
  startedAt: string(true),
  stoppedAt: stringOrNull
};

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Type errors of the listed fields only (missing required ones included). */
export function fieldViolations(path: string, entry: Record<string, unknown>, fields: Fields): Violation[] {
  const violations: Violation[] = [];
  for (const [key, field] of Object.entries(fields)) {
    const value = entry[key];
    if (value === undefined) {
      if (field.required) violations.push({ path: `${path}.${key}`, reason: 'missing' });
    } else if (!field.accepts(value)) {
      violations.push({ path: `${path}.${key}`, reason: `must be ${field.expected}` });
    }
  }
  return violations;
}

/** Everything wrong with one map of the document: not a map, unknown keys, wrong types. */
export function entryViolations(path: string, entry: unknown, fields: Fields): Violation[] {
  if (!isRecord(entry)) return [{ path, reason: 'must be a map' }];
  const unknown = Object.keys(entry)
    .filter((key) => !Object.hasOwn(fields, key))
    .map((key) => ({ path: `${path}.${key}`, reason: 'unknown field (S1)' }));
  return [...unknown, ...fieldViolations(path, entry, fields)];
}

/** P2: everything that keeps `raw` from being a well-formed job (S1). Empty when it is one. */
export function shapeViolations(raw: RawJob): Violation[] {
  const violations = entryViolations('job', raw.job, JOB_FIELDS);
  const itemIds = new Set<unknown>();
  raw.items.forEach((item, i) => {
    violations.push(...entryViolations(`items[${i}]`, item, ITEM_FIELDS));
    if (!isRecord(item)) return;
    violations.push(...approvalShapeViolations(`items[${i}]`, item));
    if (itemIds.has(item.id)) violations.push({ path: `items[${i}].id`, reason: 'duplicate item id' });
    itemIds.add(item.id);
  });
  raw.notes.forEach((note, i) => violations.push(...entryViolations(`notes[${i}]`, note, NOTE_FIELDS)));
  // An empty stuck map means no report was ever opened.
  if (Object.keys(raw.stuck).length > 0) violations.push(...entryViolations('stuck', raw.stuck, STUCK_FIELDS));
  raw.qc.forEach((entry, i) => violations.push(...entryViolations(`qc[${i}]`, entry, QC_FIELDS)));
  violations.push(...listViolations('parts', raw.parts, PART_FIELDS), ...listViolations('clock', raw.clock, CLOCK_FIELDS));
  return violations;
}

/** Every entry well-formed, ids unique (S7). */
function listViolations(root: string, list: unknown[], fields: Fields): Violation[] {
  const violations: Violation[] = [];
  const ids = new Set<unknown>();
  list.forEach((entry, i) => {
    violations.push(...entryViolations(`${root}[${i}]`, entry, fields));
    if (!isRecord(entry)) return;
    if (ids.has(entry.id)) violations.push({ path: `${root}[${i}].id`, reason: `duplicate ${root} id` });
    ids.add(entry.id);
  });
  return violations;
}
