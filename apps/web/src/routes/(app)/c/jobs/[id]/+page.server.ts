import { error } from '@sveltejs/kit';
import type { PublicJobView } from '@pitboard/job-model';
import { isPitboardError } from '$lib/server/errors';
import { requireRole } from '$lib/server/guards';
import { pitboard } from '$lib/server/pitboard';
import type { PageServerLoad } from './$types';

/** A signed-in customer's repair: the public view only, like a share link. */
export const load: PageServerLoad = async ({ locals, params, depends }) => {
  depends(`customer:job:${params.id}`);
  const user = requireRole(locals.user, 'customer');
  try {
    const core = pitboard();
    return { view: (await core.jobs.view(user, params.id)) as PublicJobView, jobId: params.id, shop: core.config.shop };
  } catch (e) {
    if (isPitboardError(e) && (e.status === 404 || e.status === 403)) error(404, 'We could not find that repair.');
    throw e;
  }
};
