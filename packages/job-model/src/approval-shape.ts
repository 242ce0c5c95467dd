/**
 * S5: the fields of a line that needs approval go together. A line without `approval` carries
 * none of them; a proposal carries who proposed it, when, and its price; a decided line also
 * carries the whole decision (when, via which link, the title and price shown). Kept apart from
 * schema.ts, which checks each field's type, so that file stays a plain table of fields.
 */
import type { Violation } from './types.js';

export const PROPOSAL_KEYS = ['approval', 'reason', 'proposedBy', 'proposedAt'] as const;
export const DECISION_KEYS = ['decidedAt', 'decidedVia', 'decidedTitle', 'decidedPrice'] as const;

const present = (item: Record<string, unknown>, key: string) => item[key] !== undefined;

export function approvalShapeViolations(path: string, item: Record<string, unknown>): Violation[] {
  const approval = item.approval;
  if (approval === undefined) {
    return [...PROPOSAL_KEYS, ...DECISION_KEYS]
      .filter((key) => present(item, key))
      .map((key) => ({ path: `${path}.${key}`, reason: 'only a line that needs approval carries it (S5)' }));
  }
  const violations: Violation[] = [];
  for (const key of ['proposedBy', 'proposedAt', 'price']) {
    if (!present(item, key)) violations.push({ path: `${path}.${key}`, reason: 'a line that needs approval carries it (S5)' });
  }
  const decided = approval === 'approved' || approval === 'declined';
  for (const key of DECISION_KEYS) {
    if (decided && !present(item, key)) violations.push({ path: `${path}.${key}`, reason: 'a decided line carries the whole decision (S5)' });
    if (!decided && present(item, key)) violations.push({ path: `${path}.${key}`, reason: 'only a decided line carries it (S5)' });
  }
  return violations;
}
