/**
 * Who may price, propose and decide lines (SPEC P10–P12, A1). The permission check calls these
 * for every change; items are matched by id, so a rule holds however concurrent appends merged.
 */
import { KNOWN_ROOTS } from './doc.js';
import { DECISION_KEYS, PROPOSAL_KEYS, approvalShapeViolations } from './approval-shape.js';
import { isTickable } from './approvals.js';
import { changedKeys, sameValue } from './compare.js';
import { APPROVAL_FIELDS, ITEM_FIELDS, LIMITS, entryViolations, isRecord } from './schema.js';
import type { RawJob, Violation } from './types.js';

type Entry = Record<string, unknown>;

const byId = (items: unknown[]): Map<unknown, Entry> => new Map(items.filter(isRecord).map((i) => [i.id, i]));
const isDecided = (item: Entry): boolean => item.approval === 'approved' || item.approval === 'declined';
const FROZEN_WHEN_DECIDED = ['title', 'price', 'reason'];

/**
 * For managers and mechanics alike: P10 (a done or decided line stays, with its title and
 * price), P12 (nobody but the server, for the customer, writes a decision; a proposal is never
 * pre-decided) and A1 (a pending or declined line is not ticked).
 */
export function itemRuleViolations(before: unknown[], after: unknown[]): Violation[] {
  const violations: Violation[] = [];
  const old = byId(before);
  const now = byId(after);
  for (const [id, item] of old) {
    if (now.has(id)) continue;
    if (item.done === true) violations.push({ path: 'items', reason: 'a done item is not removed (P10)' });
    else if (isDecided(item)) violations.push({ path: 'items', reason: 'a decided line stays, for the audit (P10)' });
  }
  const seen = new Set<unknown>();
  after.forEach((item, i) => {
    // A repeated id is already refused as ill-formed (P2); judging it here would only repeat that.
    if (!isRecord(item) || seen.has(item.id)) return;
    seen.add(item.id);
    const path = `items[${i}]`;
    const was = old.get(item.id);
    if (!was) {
      if (item.approval !== undefined && item.approval !== 'pending') violations.push({ path: `${path}.approval`, reason: 'a proposal starts pending (P12)' });
      for (const key of DECISION_KEYS) if (item[key] !== undefined) violations.push({ path: `${path}.${key}`, reason: 'only the customer decides, through the share link (P12)' });
      return;
    }
    const changed = changedKeys(was, item);
    for (const key of changed) {
      if ((PROPOSAL_KEYS as readonly string[]).includes(key) && key !== 'reason') violations.push({ path: `${path}.${key}`, reason: 'a proposal keeps who proposed it and its state; only the customer decides (P12)' });
      else if ((DECISION_KEYS as readonly string[]).includes(key)) violations.push({ path: `${path}.${key}`, reason: 'only the customer decides, through the share link (P12)' });
      else if (FROZEN_WHEN_DECIDED.includes(key) && isDecided(was)) violations.push({ path: `${path}.${key}`, reason: 'a decided line keeps what the customer saw (P12)' });
      else if ((key === 'title' || key === 'price') && was.done === true) violations.push({ path: `${path}.${key}`, reason: 'a done item keeps its title and price (P10)' });
    }
  });
  return [...violations, ...tickRuleViolations(before, after)];
}

/** A1: a line waiting for the customer, or declined, is not ticked (by anyone). */
export function tickRuleViolations(before: unknown[], after: unknown[]): Violation[] {
  const old = byId(before);
  const violations: Violation[] = [];
  after.forEach((item, i) => {
    if (!isRecord(item) || item.done !== true || old.get(item.id)?.done === true || isTickable(item.approval)) return;
    violations.push({ path: `items[${i}].done`, reason: 'a line waiting for the customer, or declined, is not worked on (A1)' });
  });
  return violations;
}

/** P11: a new line from the assigned mechanic is a proposal in their own name, with a price. */
export function proposalViolations(me: string, path: string, item: unknown, takenIds: Set<unknown>): Violation[] {
  const violations = entryViolations(path, item, ITEM_FIELDS);
  if (!isRecord(item)) return violations;
  violations.push(...approvalShapeViolations(path, item));
  const add = (key: string, reason: string) => violations.push({ path: `${path}.${key}`, reason });
  if (takenIds.has(item.id)) add('id', 'duplicate item id');
  if (item.approval !== 'pending') add('approval', 'a mechanic only proposes lines that need the customer\'s approval (P11)');
  if (item.proposedBy !== me) add('proposedBy', 'a mechanic proposes in their own name (P11)');
  if (typeof item.proposedAt !== 'string') add('proposedAt', 'a proposal carries its time (P11)');
  if (item.price === undefined) add('price', 'a proposal carries its price (P11)');
  if (typeof item.title !== 'string' || item.title.trim() === '' || item.title.length > LIMITS.title) add('title', `must hold 1 to ${LIMITS.title} characters (P11)`);
  if (typeof item.reason === 'string' && item.reason.length > LIMITS.reason) add('reason', `must be at most ${LIMITS.reason} characters (P11)`);
  if (item.done !== false || item.doneBy !== undefined || item.doneAt !== undefined) add('done', 'a proposal starts not done (P11)');
  return violations;
}

/**
 * P12: the server, for a customer using share link `via`, turns pending lines into decided
 * ones — recording exactly the title and price the line holds — and changes nothing else.
 */
export function decisionViolations(via: string, before: RawJob, after: RawJob): Violation[] {
  const violations: Violation[] = KNOWN_ROOTS.filter((root) => root !== 'items' && !sameValue(before[root], after[root])).map((root) => ({
    path: root,
    reason: 'a share link only records decisions (P12)'
  }));
  if (before.items.length !== after.items.length) return [...violations, { path: 'items', reason: 'a share link only records decisions (P12)' }];
  after.items.forEach((item, i) => {
    const was = before.items[i];
    const path = `items[${i}]`;
    if (!isRecord(item) || !isRecord(was)) {
      if (!sameValue(item, was)) violations.push({ path, reason: 'a share link only records decisions (P12)' });
      return;
    }
    const changed = changedKeys(was, item);
    if (changed.length === 0) return;
    const decisionKeys = ['approval', ...DECISION_KEYS];
    const others = changed.filter((k) => !decisionKeys.includes(k));
    if (others.length > 0) {
      violations.push(...others.map((key) => ({ path: `${path}.${key}`, reason: 'a share link only records decisions (P12)' })));
      return;
    }
    if (was.approval !== 'pending') violations.push({ path: `${path}.approval`, reason: 'a decision is recorded once, on a pending line (P12)' });
    if (item.approval !== 'approved' && item.approval !== 'declined') violations.push({ path: `${path}.approval`, reason: "a decision is 'approved' or 'declined' (P12)" });
    if (item.decidedVia !== via) violations.push({ path: `${path}.decidedVia`, reason: 'a decision names the link it came through (P12)' });
    if (item.decidedTitle !== item.title || item.decidedPrice !== item.price) violations.push({ path: `${path}.decidedTitle`, reason: 'a decision records exactly the title and price shown (P12)' });
    if (typeof item.decidedAt !== 'string') violations.push({ path: `${path}.decidedAt`, reason: 'a decision carries its time (P12)' });
    violations.push(...entryViolations(path, item, { ...ITEM_FIELDS, ...APPROVAL_FIELDS }).filter((v) => v.reason !== 'missing'));
  });
  return violations;
}
