import { setCurrentUser } from '$lib/client/account';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, params }) => {
  const { user, currency } = await parent();
  setCurrentUser(user);
  return { user, jobId: params.id, currency: currency ?? 'EUR' };
};
