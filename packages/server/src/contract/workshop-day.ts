/**
 * Request bodies of the workshop-day endpoints (docs/api.md), one valibot schema per request.
 * `JOB_EDIT_FIELDS` is the set of editable job details: `PATCH /api/jobs/:id` takes any of
 * them, and `POST /api/jobs` the same ones at intake — add a field here and both take it.
 */
import { checkPhone, checkSerial, JobModelError } from '@pitboard/job-model';
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

/** The job model's own check (SPEC S8) as a yes/no, so the schema and the document agree. */
const obeys = (check: (value: string) => unknown) => (value: string) => {
  try {
    check(value);
    return true;
  } catch (e) {
    if (e instanceof JobModelError) return false;
    throw e;
  }
};

export const JOB_EDIT_FIELDS = {
  bike: v.optional(text('bike', 200)),
  description: v.optional(v.pipe(v.string('description must be text'), v.trim(), v.maxLength(2000, 'description must be at most 2000 characters'))),
  /** null clears the promise. */
  promisedAt: v.optional(v.nullable(time('promisedAt'))),
  /** SPEC S8: the bike's serial and the customer's phone ('' clears; the job model checks the form). */
  serial: v.optional(v.pipe(v.string('serial must be a string'), v.maxLength(64, 'serial must be at most 64 characters'), v.check(obeys(checkSerial), 'serial must be at most 64 characters'))),
  customerPhone: v.optional(
    v.pipe(
      v.string('customerPhone must be a string'),
      v.maxLength(40, 'customerPhone must be at most 40 characters'),
      v.check(obeys(checkPhone), 'customer phone must be a phone number: digits, spaces and + - ( ) only, at least 3 digits')
    )
  )
};

/** An unknown key is refused by name; anything but an object as "the body must be a JSON object". */
const objectMessage = (issue: v.BaseIssue<unknown>) => (issue.expected === 'never' ? `unknown field ${issue.received}` : 'the body must be a JSON object');

export const jobEditSchema = v.pipe(
  v.strictObject(JOB_EDIT_FIELDS, objectMessage),
  v.check((edit) => Object.values(edit).some((value) => value !== undefined), 'nothing to change: send bike, description, promisedAt, serial or customerPhone')
);

export const partOrderSchema = v.strictObject({ name: text('name', 200), expectedAt: v.optional(v.nullable(time('expectedAt'))) }, objectMessage);

export const timerSchema = v.strictObject({ action: v.picklist(['start', 'stop'], "action must be 'start' or 'stop'") }, objectMessage);
