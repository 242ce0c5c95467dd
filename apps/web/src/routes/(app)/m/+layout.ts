/**
 * The mechanic screens render in the browser only: offline there is no server to render them
 * and no `__data.json` for a server `load`. The service worker serves this shell (the HTML of
 * an `ssr = false` page holds no data) and the pages read the device's replicas.
 */
import { error } from '@sveltejs/kit';
import { hasRole } from '@pitboard/server/contract';
import type { LayoutLoad } from './$types';

export const ssr = false;

export const load: LayoutLoad = async ({ parent }) => {
  const { user } = await parent();
  if (!hasRole(user, 'mechanic')) error(403, 'This page is for mechanics');
  return {};
};
