import type { JobFacts } from '@pitboard/job-model';

/** The facts last turned into events, and the document's state vector when they were read. */
export type Baseline = JobFacts & { seen?: string };

/**
 * The event baseline stored for a job (see Notifier): its facts without notes (notes never cause
 * events) and, when known, the state vector they were read at. An imported job starts from one,
 * so its history is not announced again.
 */
export function eventBaseline(facts: JobFacts, stateVector?: Uint8Array): string {
  const next: Baseline = { ...facts, notes: [], ...(stateVector ? { seen: Buffer.from(stateVector).toString('base64') } : {}) };
  return JSON.stringify(next);
}
