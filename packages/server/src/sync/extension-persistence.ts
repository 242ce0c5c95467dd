/**
 * Loads and stores job documents through the Storage interface, on Hocuspocus' Database
 * extension. Loading merges the snapshot with the update log and throws on failure (an empty
 * document must never stand in for a stored one). Storing — debounced by Hocuspocus — is only
 * compaction: every accepted update is already in the log (see Admission), so it runs only when
 * the compaction policy says (compaction-policy.ts), before Database encodes the whole document.
 */
import { Database } from '@hocuspocus/extension-database';
import type { beforeUnloadDocumentPayload, onChangePayload, onStoreDocumentPayload } from '@hocuspocus/server';
import * as Y from 'yjs';
import type { Storage } from '../storage/index.js';
import { CompactionPolicy } from './compaction-policy.js';
import { parseDocumentName } from './documents.js';

class CompactingDatabase extends Database {
  constructor(
    private readonly storage: Storage,
    private readonly policy: CompactionPolicy
  ) {
    super({
      fetch: async ({ documentName }) => {
        if (parseDocumentName(documentName).kind !== 'job') return null;
        const stored = await storage.loadDocument(documentName);
        if (stored) policy.loaded(documentName, stored.byteLength);
        return stored;
      },
      store: ({ documentName, document, state }) => this.compact(documentName, document, state)
    });
  }

  private async compact(documentName: string, document: Y.Doc, state: Uint8Array): Promise<void> {
    if (parseDocumentName(documentName).kind !== 'job') return;
    const snapshot = Y.snapshot(document);
    await this.storage.compactDocument(documentName, state, (update) => Y.snapshotContainsUpdate(snapshot, update));
    this.policy.compacted(documentName, state.byteLength);
  }

  /** A document leaving memory with edits not compacted yet is compacted now (its log stays short). */
  async beforeUnloadDocument({ documentName, document }: beforeUnloadDocumentPayload): Promise<void> {
    if (this.policy.pending(documentName)) await this.compact(documentName, document, Y.encodeStateAsUpdate(document));
  }

  async onChange({ documentName, update }: onChangePayload): Promise<void> {
    this.policy.logged(documentName, update.byteLength);
  }

  override async onStoreDocument(data: onStoreDocumentPayload): Promise<void> {
    if (!this.policy.due(data.documentName, data.document.getConnectionsCount())) return;
    await super.onStoreDocument(data);
  }

  async afterUnloadDocument({ documentName }: { documentName: string }): Promise<void> {
    this.policy.forget(documentName);
  }
}

export function persistence(storage: Storage, policy = new CompactionPolicy()): Database {
  return new CompactingDatabase(storage, policy);
}
