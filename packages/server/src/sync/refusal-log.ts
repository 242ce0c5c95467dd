/**
 * docs/sync.md promises that the server logs every document it refuses or closes: one line per
 * refusal with the close code, the reason, the document and the user — never the content of
 * the refused update (reasons name paths and rules, not values).
 */
import { PitboardError } from '../errors.js';
import type { Logger } from '../log.js';

export interface Refusal {
  code: number;
  reason: string;
  document: string;
  /** null when the socket never proved who it is. */
  userId: string | null;
}

export function logRefusal(log: Logger, refusal: Refusal): void {
  log.warn('document refused', { ...refusal });
}

/** Logs `error` as a refusal when it is one of ours (a PitboardError), then lets it go on. */
export function logIfRefusal(log: Logger, error: unknown, document: string, userId: string | null): void {
  if (error instanceof PitboardError) logRefusal(log, { code: error.closeCode, reason: error.reason, document, userId });
  else log.error('sync hook failed', { document, userId, error });
}
