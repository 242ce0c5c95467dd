/**
 * The search request (`GET /api/jobs?q=…`, docs/api.md) as a valibot schema with messages that
 * name the field; the board's search box sends the same parameters.
 */
import { JOB_STATUSES } from '@pitboard/job-model';
import * as v from 'valibot';

const flag = (name: string) => v.picklist(['1', '0', 'true', 'false'], `${name} must be 1 or 0`);

/** `GET /api/jobs` query parameters that make it a search (docs/api.md). */
export const JobSearchQuery = v.object({
  q: v.optional(v.pipe(v.string(), v.maxLength(100, 'q must be at most 100 characters'))),
  status: v.optional(v.picklist(JOB_STATUSES, `status must be one of ${JOB_STATUSES.join(', ')}`)),
  mechanicId: v.optional(v.pipe(v.string(), v.minLength(1, 'mechanicId must not be empty'), v.maxLength(64, 'mechanicId must be at most 64 characters'))),
  serial: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'serial must not be empty'), v.maxLength(64, 'serial must be at most 64 characters'))),
  collected: v.optional(flag('collected')),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'limit must be a number from 1 to 200'), v.transform(Number), v.minValue(1, 'limit must be a number from 1 to 200'), v.maxValue(200, 'limit must be a number from 1 to 200')))
});

/** The parameters that make `GET /api/jobs` a search rather than the plain list. */
export const SEARCH_PARAMS = ['q', 'mechanicId', 'serial', 'collected', 'limit'] as const;
