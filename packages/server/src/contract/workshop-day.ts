/**
 * Request bodies of the workshop-day endpoints (docs/api.md), one valibot schema per request.
 * `JOB_EDIT_FIELDS` is the set of editable job details: `PATCH /api/jobs/:id` takes any of
 * them, and `POST /api/jobs` the same ones at intake — add a field here and both take it.
 */
import * as v from 'valibot';

/** An ISO 8601 date and time with its zone: `2026-12-02T17:00:00Z`, `2026-12-02T18:00+01:00`. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A time stored as UTC ISO (`Date.toISOString`), so times compare as strings (SPEC S7). */
export const time = (field: string) => {
  const message = `${field} must be a date and time with its zone, like 2026-12-02T17:00:00Z`;
  return v.pipe(
    v.string(message),
    v.regex(ISO_TIME, message),
    v.check((s) => Number.isFinite(Date.parse(s)), message),
    v.transform((s) => new Date(s).toISOString())
  );
};

const text = (field: string, max: number) =>
  v.pipe(v.string(`${field} must be text`), v.trim(), v.nonEmpty(`${field} must not be empty`), v.maxLength(max, `${field} must be at most ${max} characters`));

export const JOB_EDIT_FIELDS = {
  bike: v.optional(text('bike', 200)),
  description: v.optional(v.pipe(v.string('description must be text'), v.trim(), v.maxLength(2000, 'description must be at most 2000 characters'))),
  /** null clears the promise. */
  promisedAt: v.optional(v.nullable(time('promisedAt')))
};

/** An unknown key is refused by name; anything but an object as "the body must be a JSON object". */
const objectMessage = (issue: v.BaseIssue<unknown>) => (issue.expected === 'never' ? `unknown field ${issue.received}` : 'the body must be a JSON object');

export const jobEditSchema = v.strictObject(JOB_EDIT_FIELDS, objectMessage);

/** The intake's promised time (`POST /api/jobs` reads its other fields itself). */
export const intakePromiseSchema = v.object({ promisedAt: JOB_EDIT_FIELDS.promisedAt });

export const partOrderSchema = v.strictObject({ name: text('name', 200), expectedAt: v.optional(v.nullable(time('expectedAt'))) }, objectMessage);

export const timerSchema = v.strictObject({ action: v.picklist(['start', 'stop'], "action must be 'start' or 'stop'") }, objectMessage);
