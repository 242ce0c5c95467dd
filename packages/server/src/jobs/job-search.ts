/**
 * Who finds what (docs/api.md `GET /api/jobs?q=`): a manager searches every job, a mechanic the
 * jobs assigned to them, a customer their own. Pages and the API both search through here.
 */
import type { Actor } from '@pitboard/job-model';
import { ForbiddenError } from '../errors.js';
import type { JobRow, Storage } from '../storage/index.js';

export interface JobSearchParams {
  q?: string;
  status?: string;
  mechanicId?: string;
  serial?: string;
  includeCollected?: boolean;
  limit?: number;
}

export const SEARCH_LIMIT = 50;

export async function searchJobs(storage: Storage, actor: Actor, params: JobSearchParams): Promise<JobRow[]> {
  const base = {
    ...(params.q ? { q: params.q } : {}),
    ...(params.status ? { status: params.status } : {}),
    ...(params.serial ? { serial: params.serial } : {}),
    includeCollected: params.includeCollected ?? false,
    limit: params.limit ?? SEARCH_LIMIT
  };
  if (actor.role === 'manager') return storage.search.searchJobs({ ...base, ...(params.mechanicId ? { assigneeId: params.mechanicId } : {}) });
  if (actor.role === 'mechanic') {
    // Another mechanic's jobs are not theirs to see: the filter finds nothing.
    if (params.mechanicId && params.mechanicId !== actor.id) return [];
    return storage.search.searchJobs({ ...base, assigneeId: actor.id });
  }
  // No staff ids reach customers (docs/security.md), so they cannot filter by one either.
  if (params.mechanicId) throw new ForbiddenError('customers cannot filter by mechanic');
  return storage.search.searchJobs({ ...base, customerId: actor.id });
}
