import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

/** The auth gate for every signed-in page. */
export const load: LayoutServerLoad = ({ locals, url }) => {
  if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
  return { user: locals.user };
};
