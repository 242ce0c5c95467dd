import { error } from '@sveltejs/kit';
import { isPitboardError } from '$lib/server/errors';
import { requireRole } from '$lib/server/guards';
import { services } from '$lib/server/services';
import type { PageServerLoad } from './$types';

/** A signed-in customer's repair: the public view only, like a share link. */
export const load: PageServerLoad = async ({ locals, params, depends }) => {
  depends(`customer:job:${params.id}`);
  const user = requireRole(locals.user, 'customer');
  try {
    const { jobs, workshop } = services();
    const view = await jobs.view(user, params.id);
    // A customer gets the public view (no internal id or facts): anything else is not theirs to see.
    if ('id' in view) error(404, 'We could not find that repair.');
    return { view, jobId: params.id, shop: workshop.shop };
  } catch (e) {
    if (isPitboardError(e) && (e.status === 404 || e.status === 403)) error(404, 'We could not find that repair.');
    throw e;
  }
};
