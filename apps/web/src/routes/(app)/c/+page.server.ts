import { requireRole } from '$lib/server/guards';
import { pitboard } from '$lib/server/pitboard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const user = requireRole(locals.user, 'customer');
  const core = pitboard();
  const [rows, notifications] = await Promise.all([core.jobs.list(user, {}), core.storage.listNotifications(user.id, { limit: 30 })]);
  return {
    shop: core.config.shop,
    jobs: rows.map((r) => core.jobs.summary(r, false)),
    notifications: notifications.map(({ id, seq, kind, jobId, title, body, createdAt, readAt, resolvedAt }) => ({ id, seq, kind, jobId, title, body, createdAt, readAt, resolvedAt }))
  };
};
