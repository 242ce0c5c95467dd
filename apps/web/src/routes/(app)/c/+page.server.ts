import { requireRole } from '$lib/server/guards';
import { services } from '$lib/server/services';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const user = requireRole(locals.user, 'customer');
  const { jobs, notifications, workshop } = services();
  const [rows, messages] = await Promise.all([jobs.rows(user, {}), notifications.list(user, { limit: 30 })]);
  return { jobs: rows, notifications: messages, shop: workshop.shop };
};
