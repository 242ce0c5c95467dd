import { requireRole } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

/** Managers only; the numbers come from GET /api/manager/stats in the browser (and stay live). */
export const load: PageServerLoad = ({ locals }) => {
  requireRole(locals.user, 'manager');
  return {};
};
