/**
 * Who is signed in on this tab, as far as the client knows — also while offline, when the
 * server cannot be asked. Picks the user's local database and replica store.
 */
import { hocuspocusLink } from './connection';
import { replicasFor } from './replica/registry';
import type { ReplicaStore } from './replica/store';

export interface ClientUser {
  id: string;
  name: string;
  role: string;
  email?: string;
}

const KEY = 'pitboard:user';
let current: ClientUser | null = null;

/** Called by screens that know the user (layout data); remembered for offline starts. */
export function setCurrentUser(user: ClientUser): void {
  current = user;
  try {
    localStorage.setItem(KEY, JSON.stringify({ id: user.id, name: user.name, role: user.role }));
  } catch {
    /* private mode: fine, we still know it in memory */
  }
}

export function currentUser(): ClientUser | null {
  if (current) return current;
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as ClientUser | null;
    if (saved?.id) current = saved;
  } catch {
    /* ignore */
  }
  return current;
}

/** The signed-in user, asking the server when the tab does not know yet. */
export async function resolveUser(): Promise<ClientUser | null> {
  const known = currentUser();
  if (known) return known;
  try {
    const res = await fetch('/api/me');
    if (!res.ok) return null;
    const body = (await res.json()) as ClientUser | { user: ClientUser };
    const user = 'user' in body ? body.user : body;
    setCurrentUser(user);
    return user;
  } catch {
    return null;
  }
}

/** The replica store of a user in this tab, syncing over /collab. */
export function replicaStore(userId: string): ReplicaStore {
  return replicasFor(userId, hocuspocusLink);
}
