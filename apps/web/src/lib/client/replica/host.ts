import type { LocalDb } from '../db';
import type { Connect } from '../link';
import type { EditWal } from './wal';

/** What a replica needs from the store that holds it (store.ts), so neither imports the other. */
export interface ReplicaHost {
  readonly userId: string;
  readonly db: LocalDb;
  readonly connect: Connect | null;
  readonly wal: EditWal;
  /** Resolves once no discard of this job is under way. */
  discarded(jobId: string): Promise<void>;
  /** Something about a replica changed (listeners are told once per microtask). */
  changed(): void;
}

export const STORAGE_FULL_MESSAGE =
  'This device is out of storage: recent changes are not saved on it. Stay online until they reach the server, or free some space.';

/** A failed write on the device, in plain words. */
export function storageErrorText(error: unknown, isQuota: boolean): string {
  return isQuota ? STORAGE_FULL_MESSAGE : `Could not save on this device: ${(error as Error)?.message ?? String(error)}`;
}
