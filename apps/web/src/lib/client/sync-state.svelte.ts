/**
 * What the mechanic's status bar shows besides the connection state (liveness.svelte.ts):
 * changes not yet on the server (all of this user's replicas), last sync, and the problems
 * that need a person (sign in again, storage).
 */
import type { ReplicaStore } from './replica/store';

export class SyncState {
  pending = $state(0);
  lastSyncedAt = $state<Date | null>(null);
  needsSignIn = $state(false);
  storageError = $state<string | null>(null);
  private readonly cleanups: (() => void)[] = [];

  constructor(readonly store: ReplicaStore) {
    const read = () => {
      this.pending = store.pending;
      this.lastSyncedAt = store.lastSyncedAt;
      this.needsSignIn = store.needsSignIn;
      this.storageError = store.storageError;
    };
    read();
    this.cleanups.push(store.subscribe(read));
  }

  destroy(): void {
    for (const c of this.cleanups.splice(0)) c();
  }
}

export function formatTime(d: Date | null): string {
  if (!d) return 'never';
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
