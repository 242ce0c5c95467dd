import { localDb } from '../db';
import type { Connect } from '../link';
import { ReplicaStore } from './store';

const stores = new Map<string, ReplicaStore>();

/** The replica store of a user in this tab (browser only). */
export function replicasFor(userId: string, connect: Connect | null): ReplicaStore {
  let s = stores.get(userId);
  if (!s) {
    s = new ReplicaStore(userId, localDb(userId), connect);
    stores.set(userId, s);
  }
  return s;
}
