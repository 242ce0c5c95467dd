/**
 * The promised time (SPEC S7, P17, E13): when the workshop told the customer the bike would be
 * ready. A manager's fact on the `job` map; "overdue" is derived from it and the clock.
 */
import type * as Y from 'yjs';
import { jobMap } from './doc.js';
import { requireJob, timestamp } from './ops.js';
import type { JobStatus } from './types.js';

/** Sets (or, with null, clears) the promised time; a no-op when unchanged. */
export function setPromisedAt(doc: Y.Doc, promisedAt: string | null): void {
  requireJob(doc);
  const value = promisedAt === null ? null : timestamp(promisedAt, 'promisedAt');
  const current = jobMap(doc).get('promisedAt');
  if ((current ?? null) === value) return;
  doc.transact(() => (value === null ? jobMap(doc).delete('promisedAt') : jobMap(doc).set('promisedAt', value)));
}

/** The statuses in which a promise is kept: the bike is ready or gone. */
const KEPT: readonly string[] = ['ready_for_pickup', 'collected'] satisfies JobStatus[];

/** E13: the promised time has passed (at `now`, ms) and the job is neither ready nor collected. */
export function isOverdue(promisedAt: string | null | undefined, status: string, now: number): boolean {
  if (promisedAt === null || promisedAt === undefined) return false;
  const promised = Date.parse(promisedAt);
  return Number.isFinite(promised) && promised <= now && !KEPT.includes(status);
}
