import { error, fail } from '@sveltejs/kit';
import { isPitboardError } from '$lib/server/errors';
import { services } from '$lib/server/services';
import type { Actions, PageServerLoad } from './$types';

/** Server-rendered from the public view only: nothing internal can reach this page. */
export const load: PageServerLoad = async ({ params, setHeaders }) => {
  // same-origin (the site's default): the token in this address never leaves for another site,
  // and the page's own Approve/Decline form keeps its Origin (under no-referrer a browser posts
  // `Origin: null`, which the form-action CSRF check refuses: no decision without JavaScript).
  setHeaders({ 'cache-control': 'no-store', 'referrer-policy': 'same-origin' });
  try {
    const { jobs, workshop } = services();
    return { view: await jobs.publicViewForToken(params.token), token: params.token, currency: workshop.currency, shop: workshop.shop };
  } catch (e) {
    if (isPitboardError(e) && e.status === 404) error(404, 'This link is not valid any more. Ask the shop for a new one.');
    throw e;
  }
};

export const actions: Actions = {
  /**
   * The customer approves or declines one line (docs/api.md, the same service as
   * `POST /api/share/:token/approvals/:itemId`). The form sends the title and price it showed,
   * so a line changed since is refused rather than decided unseen.
   */
  decide: async ({ params, request }) => {
    const form = await request.formData();
    const itemId = String(form.get('itemId') ?? '');
    const decision = form.get('decision');
    const price = Number(form.get('price'));
    if (decision !== 'approved' && decision !== 'declined') return fail(400, { itemId, error: 'Choose Approve or Decline.' });
    try {
      const done = await services().approvals.decide(params.token, itemId, { decision, title: String(form.get('title') ?? ''), ...(Number.isInteger(price) ? { price } : {}) });
      return { itemId, decided: done.state };
    } catch (e) {
      if (!isPitboardError(e)) throw e;
      const words =
        e.status === 409
          ? e.reason.includes('changed')
            ? 'The shop changed this line since you opened the page. Look at it again, then decide.'
            : 'This line was already decided (maybe in another tab or by someone else with this link). Nothing was changed.'
          : e.status === 404
            ? 'This link or line is not valid any more. Ask the shop for a new link.'
            : e.reason;
      return fail(e.status, { itemId, error: words });
    }
  }
};
