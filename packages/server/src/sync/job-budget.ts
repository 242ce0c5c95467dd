/**
 * Budgets per job document (docs/security.md, class 6), enforced when an update is admitted:
 * a job holding 20,000 tiny notes made every later update cost the server 130–300 ms. An
 * update that takes a job over a budget is refused (4413, with the reason) and nothing of it
 * is stored or sent; one that does not grow what is over budget (ticking an item on a job
 * whose budget was lowered below it) still passes; over `maxBytes`, only deletions pass.
 */
import type { CloseReasonCode, JobDelta, RawJob } from '@pitboard/job-model';
import * as Y from 'yjs';
import { PitboardError } from '../errors.js';

export interface JobBudget {
  /** `JOB_MAX_NOTES` */
  maxNotes: number;
  /** `JOB_MAX_ITEMS` */
  maxItems: number;
  /** `JOB_MAX_BYTES`: the document's encoded size (what a client downloads to open it). */
  maxBytes: number;
}

/**
 * The default of `JOB_MAX_PHOTOS`: photos one job holds at most (each referenced from the
 * document, its bytes stored outside it); the upload checks it (photos/photo-service.ts).
 */
export const JOB_MAX_PHOTOS = 20;

export class OverBudgetError extends PitboardError {
  constructor(reason: string, closeReason: CloseReasonCode) {
    super(413, reason, 4413, closeReason);
  }
}

/** Throws when `after` exceeds a count budget that `before` did not already exceed as much. */
export function checkCounts(budget: JobBudget, before: RawJob, after: RawJob): void {
  if (after.notes.length > budget.maxNotes && after.notes.length > before.notes.length) {
    throw new OverBudgetError(`too many notes on this job (at most ${budget.maxNotes})`, 'too_many_notes');
  }
  if (after.items.length > budget.maxItems && after.items.length > before.items.length) {
    throw new OverBudgetError(`too many items on this job (at most ${budget.maxItems})`, 'too_many_items');
  }
}

/** checkCounts for a delta (ticks and appended notes): only the notes can grow. */
export function checkNoteCount(budget: JobBudget, before: RawJob, delta: JobDelta): void {
  const after = before.notes.length + delta.notes.length;
  if (after > budget.maxNotes && delta.notes.length > 0) {
    throw new OverBudgetError(`too many notes on this job (at most ${budget.maxNotes})`, 'too_many_notes');
  }
}

export function sizeError(maxBytes: number): OverBudgetError {
  return new OverBudgetError(`this job is too large (at most ${maxBytes} bytes)`, 'job_too_large');
}

/** The update adds structs (content), rather than only deleting. */
export function insertsContent(update: Uint8Array): boolean {
  const { from, to } = Y.parseUpdateMeta(update);
  for (const [client, clock] of to) if (clock > (from.get(client) ?? 0)) return true;
  return false;
}
