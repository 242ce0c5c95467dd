import { error, fail } from '@sveltejs/kit';
import { setPromisedAt } from '@pitboard/job-model';
import { promisedFromForm } from '$lib/components/promise';
import { isPitboardError } from '$lib/server/errors';
import { requireRole } from '$lib/server/guards';
import { services } from '$lib/server/services';
import type { Actions, PageServerLoad } from './$types';

/** One job in full for the manager: the facts at first paint (the page then follows the live document). */
export const load: PageServerLoad = async ({ locals, params }) => {
  const user = requireRole(locals.user, 'manager');
  const { jobs, staff } = services();
  try {
    const [job, mechanics, managers, links, link] = await Promise.all([
      jobs.view(user, params.id),
      staff.list(user, 'mechanic'),
      staff.list(user, 'manager'),
      jobs.activeShareLinks(user, params.id),
      jobs.currentShareLink(user, params.id)
    ]);
    if (!('id' in job)) error(404, 'No such job');
    return {
      job,
      mechanics: mechanics.map((m) => ({ id: m.id, name: m.name })),
      staff: Object.fromEntries([...mechanics, ...managers].map((u) => [u.id, u.name])) as Record<string, string>,
      // The job's one link, to copy again (url null when this server cannot show it again:
      // docs/api.md, "Share links"); other active links
      // (made through the API) are listed by date only, to be switched off.
      link: link && { id: link.id, createdAt: link.createdAt, expiresAt: link.expiresAt, url: link.url },
      links: links.map((l) => ({ id: l.id, createdAt: l.createdAt, expiresAt: l.expiresAt }))
    };
  } catch (e) {
    if (isPitboardError(e) && e.status === 404) error(404, 'No such job');
    throw e;
  }
};

export const actions: Actions = {
  /** The promised time: set, changed, or cleared (`clear`). */
  promise: async ({ request, locals, params }) => {
    const user = requireRole(locals.user, 'manager');
    const form = await request.formData();
    const promised = form.get('clear') ? ({ ok: true, value: null } as const) : promisedFromForm(form);
    if (!promised.ok) return fail(400, { promiseError: promised.error });
    try {
      await services().jobs.change(params.id, user, (doc) => setPromisedAt(doc, promised.value));
      return { promiseSaved: true };
    } catch (e) {
      if (isPitboardError(e) && e.status < 500) return fail(e.status, { promiseError: e.reason.charAt(0).toUpperCase() + e.reason.slice(1) + '.' });
      throw e;
    }
  }
};
