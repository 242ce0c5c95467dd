import { error } from '@sveltejs/kit';
import type { SessionUser } from '@pitboard/server';
import { hasRole } from '@pitboard/server/contract';

/** Each area belongs to one role (docs/product.md, Pages); the decision is the core's (auth/access.ts). */
export function requireRole(user: SessionUser | null, role: SessionUser['role']): SessionUser {
  if (!user) error(401, 'Sign in first');
  if (!hasRole(user, role)) error(403, `This page is for ${role}s`);
  return user;
}
