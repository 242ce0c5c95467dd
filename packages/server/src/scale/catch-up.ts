/**
 * After a relay outage, bring every job document open on this instance up to date from
 * storage: every admitted update of every instance is in the update log before anyone applies
 * it (docs/sync.md, "Durability"), so the stored state is a superset of what any instance was
 * told. This also covers a peer that closed its copy during the outage, which the Redis sync
 * (DocumentRelay.resync) cannot reach.
 */
import type { Hocuspocus } from '@hocuspocus/server';
import * as Y from 'yjs';
import type { Logger } from '../log.js';
import type { Storage } from '../storage/index.js';

/** The origin the Redis extension gives updates from other instances (not re-announced). */
const FROM_OTHER_INSTANCES = { source: 'redis' as const };

/** Returns how many documents gained something. */
export async function catchUpFromStorage(hocuspocus: Hocuspocus, storage: Storage, log: Logger): Promise<number> {
  let caughtUp = 0;
  for (const [name, document] of [...hocuspocus.documents]) {
    if (!name.startsWith('job:') || document.isLoading) continue;
    const stored = await storage.loadDocument(name);
    if (!stored || hocuspocus.documents.get(name) !== document) continue;
    const missing = Y.diffUpdate(stored, Y.encodeStateVector(document));
    const before = Y.encodeStateVector(document);
    Y.applyUpdate(document, missing, FROM_OTHER_INSTANCES);
    if (!equal(before, Y.encodeStateVector(document))) caughtUp += 1;
  }
  if (caughtUp > 0) log.info('documents caught up from storage after the relay returned', { documents: caughtUp });
  return caughtUp;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
