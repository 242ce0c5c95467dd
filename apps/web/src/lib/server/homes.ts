import type { SessionUser } from '@pitboard/server';

/** Where each role lands after signing in. */
export function homeFor(user: Pick<SessionUser, 'role'>): string {
  return user.role === 'manager' ? '/board' : user.role === 'mechanic' ? '/m' : '/c';
}
