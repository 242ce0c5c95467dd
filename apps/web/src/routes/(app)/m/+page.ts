import { setCurrentUser, replicaStore } from '$lib/client/account';
import { myJobs } from '$lib/client/my-jobs.svelte';
import type { PageLoad } from './$types';

/** My jobs, from the device first (works offline); the page refreshes them from the server. */
export const load: PageLoad = async ({ parent }) => {
  const { user } = await parent();
  setCurrentUser(user);
  const list = myJobs(user.id, replicaStore(user.id));
  await list.loadCached();
  return { user };
};
