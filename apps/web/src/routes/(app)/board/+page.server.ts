import { requireRole } from '$lib/server/guards';
import { pitboard } from '$lib/server/pitboard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  requireRole(locals.user, 'manager');
  const rows = await pitboard().storage.listJobs({ activeOnly: true });
  return { jobs: rows.map((r) => pitboard().jobs.summary(r, true)) };
};
