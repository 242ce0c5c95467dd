import { redirect } from '@sveltejs/kit';
import { services } from '$lib/server/services';
import type { LayoutServerLoad } from './$types';

/** The auth gate for every signed-in page. */
export const load: LayoutServerLoad = ({ locals, url }) => {
  if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
  // The workshop's currency (`CURRENCY`): every price on these pages is shown in it.
  return { user: locals.user, currency: services().workshop.currency };
};
