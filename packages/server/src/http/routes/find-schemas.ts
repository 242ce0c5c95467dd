/**
 * Request schemas (valibot) of the search and job-details requests, one per request, with
 * messages that name the field. Shared by the API routes; the pages send the same shapes.
 */
import { JOB_STATUSES } from '@pitboard/job-model';
import * as v from 'valibot';
import { BadRequestError } from '../../errors.js';

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

/** `PATCH /api/jobs/:id`: the details a manager edits (promised time: its own schema, merged beside). */
export const JobDetailsBody = v.object({
  bike: v.optional(v.pipe(v.string('bike must be a string'), v.trim(), v.minLength(1, 'bike must not be empty'), v.maxLength(200, 'bike must be at most 200 characters'))),
  description: v.optional(v.pipe(v.string('description must be a string'), v.maxLength(2000, 'description must be at most 2000 characters'))),
  serial: v.optional(v.pipe(v.string('serial must be a string'), v.maxLength(64, 'serial must be at most 64 characters'))),
  customerPhone: v.optional(v.pipe(v.string('customerPhone must be a string'), v.maxLength(40, 'customerPhone must be at most 40 characters')))
});

/** Intake facts `POST /api/jobs` accepts beside its other fields. */
export const IntakeFactsBody = v.object({
  serial: v.optional(v.pipe(v.string('serial must be a string'), v.maxLength(64, 'serial must be at most 64 characters'))),
  customerPhone: v.optional(v.pipe(v.string('customerPhone must be a string'), v.maxLength(40, 'customerPhone must be at most 40 characters')))
});

/** Parses `input` with `schema`, or throws 400 with the first issue's words. */
export function parseOr400<const S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (!result.success) throw new BadRequestError(result.issues[0]!.message);
  return result.output;
}
