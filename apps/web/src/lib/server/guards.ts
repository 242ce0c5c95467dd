import { error } from '@sveltejs/kit';
import type { SessionUser } from '@pitboard/server';

/** Each area belongs to one role (docs/product.md, Pages). */
export function requireRole(user: SessionUser | null, role: SessionUser['role']): SessionUser {
  if (!user) error(401, 'Sign in first');
  if (user.role !== role) error(403, `This page is for ${role}s`);
  return user;
}
