/** The board's search as the address carries it (`?q=&status=&mechanicId=&collected=1`). */
import type { JobRowSummary } from '$lib/client/inbox.svelte';

export interface SearchState {
  q: string;
  status: string;
  mechanicId: string;
  collected: boolean;
  /** The server's first answer, so a shared or reloaded search shows at first paint. */
  results: JobRowSummary[] | null;
}

const STATUSES = new Set(['intake', 'assigned', 'in_progress', 'stuck', 'quality_check', 'ready_for_pickup', 'collected']);

/** The search in `url`, or null when it holds none; values the API would refuse are dropped. */
export function searchFromUrl(url: URL): Omit<SearchState, 'results'> | null {
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 100);
  const status = url.searchParams.get('status') ?? '';
  const mechanicId = (url.searchParams.get('mechanicId') ?? '').slice(0, 64);
  const collected = url.searchParams.get('collected') === '1';
  const search = { q, status: STATUSES.has(status) ? status : '', mechanicId, collected };
  return search.q || search.status || search.mechanicId ? search : null;
}
