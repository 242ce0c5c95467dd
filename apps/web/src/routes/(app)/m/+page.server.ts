import { requireRole } from '$lib/server/guards';
import { pitboard } from '$lib/server/pitboard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const user = requireRole(locals.user, 'mechanic');
  const rows = await pitboard().storage.listJobs({ assigneeId: user.id, activeOnly: true });
  return { jobs: rows.map((r) => pitboard().jobs.summary(r, true)) };
};
