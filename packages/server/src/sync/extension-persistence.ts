/**
 * Loads and stores job documents through the Storage interface, on Hocuspocus' Database
 * extension. Loading merges the snapshot with the update log and throws on failure (an empty
 * document must never stand in for a stored one). Storing — debounced by Hocuspocus — is only
 * compaction: every accepted update is already in the log (see Admission).
 */
import { Database } from '@hocuspocus/extension-database';
import * as Y from 'yjs';
import type { Storage } from '../storage/index.js';
import { parseDocumentName } from './documents.js';

export function persistence(storage: Storage): Database {
  return new Database({
    fetch: async ({ documentName }) => {
      if (parseDocumentName(documentName).kind !== 'job') return null;
      return storage.loadDocument(documentName);
    },
    store: async ({ documentName, document, state }) => {
      if (parseDocumentName(documentName).kind !== 'job') return;
      const snapshot = Y.snapshot(document);
      await storage.compactDocument(documentName, state, (update) => Y.snapshotContainsUpdate(snapshot, update));
    }
  });
}
