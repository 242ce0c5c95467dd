import { requireRole } from '$lib/server/guards';
import { pitboard } from '$lib/server/pitboard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const user = requireRole(locals.user, 'customer');
  const rows = await pitboard().storage.listJobs({ customerId: user.id });
  return { jobs: rows.map((r) => pitboard().jobs.summary(r, false)) };
};
