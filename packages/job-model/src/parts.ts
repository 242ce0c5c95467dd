/**
 * Waiting for parts (SPEC S7, section W): a part ordered for the job and its arrival. Facts in
 * the `parts` root; the status `waiting_for_parts` is derived from them (D10).
 */
import * as Y from 'yjs';
import { partsArray } from './doc.js';
import { JobModelError } from './errors.js';
import { id, newId, requireJob, setMany, text, timestamp } from './ops.js';
import { LIMITS } from './schema.js';
import type { JobFacts, PartFacts } from './types.js';

/** W2: records a part ordered by `by` (a manager or the assigned mechanic); returns its id. */
export function orderPart(doc: Y.Doc, p: { name: string; expectedAt?: string | null; by: string; at: string; id?: string }): string {
  requireJob(doc);
  const partId = p.id === undefined ? newId() : id(p.id, 'part id');
  const values = {
    id: partId,
    name: text(p.name, 'part name', LIMITS.title),
    expectedAt: p.expectedAt === undefined || p.expectedAt === null ? null : timestamp(p.expectedAt, 'expectedAt'),
    orderedBy: id(p.by, 'by'),
    orderedAt: timestamp(p.at),
    arrivedAt: null,
    arrivedBy: null
  };
  if (findPart(doc, partId)) throw new JobModelError(`part ${partId} already exists`);
  if (partsArray(doc).length >= LIMITS.items) throw new JobModelError(`a job has at most ${LIMITS.items} parts`);
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    setMany(entry, values);
    partsArray(doc).push([entry]);
  });
  return partId;
}

/** W3: marks a part arrived; a no-op when it already has. */
export function markPartArrived(doc: Y.Doc, partId: string, by: string, at: string): void {
  id(by, 'by');
  timestamp(at);
  const part = findPart(doc, partId);
  if (!part) throw new JobModelError(`unknown part ${partId}`);
  if (typeof part.get('arrivedAt') === 'string') return;
  doc.transact(() => setMany(part, { arrivedAt: at, arrivedBy: by }));
}

function findPart(doc: Y.Doc, partId: string): Y.Map<unknown> | undefined {
  return partsArray(doc)
    .toArray()
    .find((e): e is Y.Map<unknown> => e instanceof Y.Map && e.get('id') === partId);
}

/** W4: the parts not arrived yet. */
export function awaitedParts(facts: Pick<JobFacts, 'parts'>): PartFacts[] {
  return facts.parts.filter((p) => p.arrivedAt === null);
}

/**
 * W4: what the customer is told while a part is awaited: the latest expected date among the
 * awaited parts, or null when one of them has none (the workshop does not know yet).
 */
export function partsExpectation(facts: Pick<JobFacts, 'parts'>): { expectedAt: string | null } | null {
  const awaited = awaitedParts(facts);
  if (awaited.length === 0) return null;
  if (awaited.some((p) => p.expectedAt === null)) return { expectedAt: null };
  return { expectedAt: awaited.map((p) => p.expectedAt!).sort().at(-1)! };
}
