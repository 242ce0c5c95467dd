import { error } from '@sveltejs/kit';
import { isPitboardError } from '$lib/server/errors';
import { pitboard } from '$lib/server/pitboard';
import type { PageServerLoad } from './$types';

/** Server-rendered from the public view only: nothing internal can reach this page. */
export const load: PageServerLoad = async ({ params, setHeaders }) => {
  setHeaders({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
  try {
    const core = pitboard();
    return { view: await core.jobs.publicViewForToken(params.token), token: params.token, shop: core.config.shop };
  } catch (e) {
    if (isPitboardError(e) && e.status === 404) error(404, 'This link is not valid any more. Ask the shop for a new one.');
    throw e;
  }
};
