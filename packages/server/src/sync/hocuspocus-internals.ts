/**
 * The one module that reaches into Hocuspocus 4 beyond its documented API: fields and key
 * formats its type declarations show but its guides do not promise (the debouncer's key for a
 * document's store, the document's save mutex, a client connection's last-message time, the
 * socket under a connection). Everything else uses these functions, and
 * test/hocuspocus-internals.test.ts fails if an upgrade changes what they rely on.
 */
import type { Connection, Document, Hocuspocus } from '@hocuspocus/server';

/** What `Hocuspocus.handleConnection` returns (a ClientConnection, not exported by name). */
export type ClientConnection = ReturnType<Hocuspocus['handleConnection']>;

/** Hocuspocus' debouncer key for a document's `onStoreDocument` (as its `storeDocumentHooks`). */
const storeKey = (document: Document) => `onStoreDocument-${document.name}`;

/**
 * True while a store of the document is waiting (debounced), running, or holding its save
 * mutex — the test Hocuspocus itself makes before unloading a document.
 */
export function storePending(hocuspocus: Hocuspocus, document: Document): boolean {
  return hocuspocus.debouncer.isDebounced(storeKey(document)) || hocuspocus.debouncer.isCurrentlyExecuting(storeKey(document)) || document.saveMutex.isLocked();
}

/** Runs every pending (debounced) store now and waits until all have finished (bounded: ~2 s). */
export async function storeAllDocuments(hocuspocus: Hocuspocus): Promise<void> {
  hocuspocus.flushPendingStores();
  for (let i = 0; i < 200; i++) {
    if (![...hocuspocus.documents.values()].some((d) => storePending(hocuspocus, d))) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Tells Hocuspocus the client is alive (its idle timeout counts from the last message), for
 * frames that never reach it: our keepalive's pong, awareness the socket guard drops.
 */
export function markAlive(connection: ClientConnection): void {
  connection.lastMessageReceivedAt = Date.now();
}

/** Bytes queued on the connection's socket and not yet sent (0 for a socket that keeps no count). */
export function bufferedBytes(connection: Connection): number {
  const amount = (connection.webSocket as unknown as { bufferedAmount?: unknown }).bufferedAmount;
  return typeof amount === 'number' ? amount : 0;
}
