/**
 * Names of the documents served on `/collab` (docs/sync.md):
 * - `job:<jobId>`  the repair job (docs/sync.md);
 * - `inbox:<userId>` the user's notification channel (stateless messages only, never stored).
 */
import { BadRequestError } from '../errors.js';

export type DocumentAddress = { kind: 'job'; jobId: string } | { kind: 'inbox'; userId: string };

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function parseDocumentName(name: string): DocumentAddress {
  const colon = name.indexOf(':');
  const kind = name.slice(0, colon);
  const id = name.slice(colon + 1);
  if (colon > 0 && ID.test(id)) {
    if (kind === 'job') return { kind: 'job', jobId: id };
    if (kind === 'inbox') return { kind: 'inbox', userId: id };
  }
  throw new BadRequestError(`unknown document "${name.slice(0, 80)}"`, 'unknown_document');
}

export const jobDocumentName = (jobId: string) => `job:${jobId}`;
export const inboxDocumentName = (userId: string) => `inbox:${userId}`;
