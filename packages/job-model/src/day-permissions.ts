/**
 * P15–P16: what the assigned mechanic may write in the workshop-day roots (SPEC S7). Entries are
 * matched by id, not position: concurrent appends from two devices interleave.
 */
import { CLOCK_FIELDS, LIMITS, PART_FIELDS, entryViolations, isRecord, type Fields } from './schema.js';
import type { Violation } from './types.js';

interface Rules {
  root: string;
  fields: Fields;
  rule: string;
  /** What is wrong with an entry the mechanic added. */
  added(me: string, entry: Record<string, unknown>): string[];
  /** What is wrong with a change to an existing entry (`changed` keys, non-empty). */
  changed(me: string, before: Record<string, unknown>, after: Record<string, unknown>, changed: string[]): string[];
}

const PART_RULES: Rules = {
  root: 'parts',
  fields: PART_FIELDS,
  rule: 'P15',
  added: (me, part) => [
    ...(part.orderedBy === me ? [] : ['a mechanic records parts in their own name']),
    ...(typeof part.name === 'string' && part.name.trim() !== '' && part.name.length <= LIMITS.title ? [] : [`the name must hold 1 to ${LIMITS.title} characters`]),
    ...arrivalProblems(me, part)
  ],
  changed: (me, _before, after, changed) => {
    const arrival = changed.filter((k) => k === 'arrivedAt' || k === 'arrivedBy');
    return [
      ...(arrival.length === changed.length ? [] : ['a mechanic only marks a part arrived']),
      ...(arrival.length === 0 ? [] : typeof after.arrivedAt === 'string' ? arrivalProblems(me, after) : ['a mechanic does not take an arrival back'])
    ];
  }
};

/** An arrival is in the mechanic's own name; no arrival has no one's name. */
function arrivalProblems(me: string, part: Record<string, unknown>): string[] {
  if (part.arrivedAt === null) return part.arrivedBy === null ? [] : ['arrivedBy without arrivedAt'];
  return part.arrivedBy === me ? [] : ['a mechanic marks arrivals in their own name'];
}

const CLOCK_RULES: Rules = {
  root: 'clock',
  fields: CLOCK_FIELDS,
  rule: 'P16',
  added: (me, session) => (session.mechanicId === me ? [] : ['a mechanic clocks only their own work']),
  changed: (me, before, after, changed) => [
    ...(before.mechanicId === me ? [] : ["a mechanic does not change another's session"]),
    ...(changed.every((k) => k === 'stoppedAt') ? [] : ['a mechanic only stops a session']),
    ...(typeof after.stoppedAt === 'string' ? [] : ['a stopped session stays stopped'])
  ]
};

export const partViolations = (me: string, before: unknown[], after: unknown[]): Violation[] => listViolations(PART_RULES, me, before, after);
export const clockViolations = (me: string, before: unknown[], after: unknown[]): Violation[] => listViolations(CLOCK_RULES, me, before, after);

function listViolations(rules: Rules, me: string, before: unknown[], after: unknown[]): Violation[] {
  const { root, rule } = rules;
  const violations: Violation[] = [];
  const old = new Map<unknown, Record<string, unknown>>();
  for (const e of before) if (isRecord(e)) old.set(e.id, e);
  const seen = new Set<unknown>();
  after.forEach((entry, i) => {
    const path = `${root}[${i}]`;
    const problems = entryViolations(path, entry, rules.fields);
    if (problems.length > 0 || !isRecord(entry)) {
      violations.push(...problems);
      return;
    }
    if (seen.has(entry.id)) violations.push({ path: `${path}.id`, reason: `duplicate ${root} id (${rule})` });
    seen.add(entry.id);
    const previous = old.get(entry.id);
    const reasons = previous === undefined ? rules.added(me, entry) : changedProblems(rules, me, previous, entry);
    violations.push(...reasons.map((reason) => ({ path, reason: `${reason} (${rule})` })));
  });
  for (const id of old.keys()) if (!seen.has(id)) violations.push({ path: root, reason: `only a manager removes ${root} entries (${rule})` });
  return violations;
}

function changedProblems(rules: Rules, me: string, before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changed = [...keys].filter((k) => Object.hasOwn(before, k) !== Object.hasOwn(after, k) || before[k] !== after[k]);
  return changed.length === 0 ? [] : rules.changed(me, before, after, changed);
}
