/**
 * One schema per request body, shared by the HTTP API (http/routes/*) and the SvelteKit form
 * actions (through `@pitboard/server/contract`), so both accept and refuse the same input with
 * the same words. Read a body with `parseRequest` (parse.ts): 400 naming the field otherwise.
 */
import { LIMITS } from '@pitboard/job-model';
import * as v from 'valibot';
import { JOB_EDIT_FIELDS } from './workshop-day.js';
import { EMAIL, fields, oneOf, optionalText, requiredBoolean, requiredText, textList } from './fields.js';

const ID = 64;
/** Notes, descriptions, QC notes (the job model's limit for free text is larger: LIMITS.text). */
const NOTE = 2000;

export const LoginRequest = fields({
  email: requiredText('email', 254),
  password: requiredText('password', 200)
});

const NewCustomer = fields(
  {
    name: requiredText('customer name', LIMITS.title),
    email: v.pipe(
      optionalText('customer email', 254),
      v.check((email) => !email || EMAIL.test(email), 'customer email is not a valid address')
    )
  },
  'customer '
);

/** POST /api/jobs and the board's intake form: a new job for a new or known customer. */
export const NewJobRequest = v.pipe(
  fields({
    bike: requiredText('bike', LIMITS.title),
    description: optionalText('description', NOTE),
    items: textList('items', { min: 1, max: LIMITS.items, maxLength: LIMITS.title }),
    customerId: optionalText('customerId', ID),
    customer: v.optional(NewCustomer),
    mechanicId: optionalText('mechanicId', ID),
    promisedAt: JOB_EDIT_FIELDS.promisedAt,
    serial: JOB_EDIT_FIELDS.serial,
    customerPhone: JOB_EDIT_FIELDS.customerPhone
  }),
  v.check((job) => !!job.customerId || !!job.customer, 'customer or customerId is required'),
  v.transform(({ bike, description, items, customerId, customer, mechanicId, promisedAt, serial, customerPhone }) => ({
    bike,
    description: description ?? '',
    items,
    customer: customerId ? { id: customerId } : customer!.email ? { name: customer!.name, email: customer!.email } : { name: customer!.name },
    ...(mechanicId ? { mechanicId } : {}),
    ...(promisedAt ? { promisedAt } : {}),
    ...(serial ? { serial } : {}),
    ...(customerPhone ? { customerPhone } : {})
  }))
);

/** `mechanicId: null` takes the job off its mechanic. */
export const AssignRequest = fields({
  mechanicId: v.pipe(
    v.unknown(),
    v.check((id) => id === null || (typeof id === 'string' && id.trim() !== ''), 'mechanicId is required'),
    v.transform((id) => (id === null ? null : (id as string).trim())),
    v.check((id) => id === null || id.length <= ID, `mechanicId must be at most ${ID} characters`)
  )
});

export const QcRequest = fields({
  pass: requiredBoolean('pass'),
  note: optionalText('note', NOTE),
  redoItemIds: textList('redoItemIds', { max: LIMITS.items, maxLength: ID })
});

export const ItemDoneRequest = fields({ done: requiredBoolean('done') });

const VISIBILITY = ['internal', 'customer'] as const;

export const NoteRequest = fields({
  text: requiredText('text', LIMITS.text),
  visibility: v.pipe(
    v.optional(v.unknown(), 'internal'),
    v.check((s) => s === null || VISIBILITY.includes(s as never), 'visibility must be internal or customer'),
    v.transform((s) => (s ?? 'internal') as (typeof VISIBILITY)[number])
  )
});

export const NoteVisibilityRequest = fields({ visibility: oneOf('visibility', VISIBILITY) });

export const ShareLinkRequest = fields({
  expiresAt: v.pipe(
    optionalText('expiresAt', 40),
    v.check((at) => at === undefined || !Number.isNaN(Date.parse(at)), 'expiresAt must be an ISO date'),
    v.transform((at) => (at ? new Date(at).toISOString() : null))
  )
});

export const StuckRequest = fields({ reason: requiredText('reason', 1000) });

export const ResolveStuckRequest = fields({ note: optionalText('note', 1000) });

/** Marking notifications read: some by id, or all (`id` alone: the seed's one at a time). */
export const MarkReadRequest = v.pipe(
  fields({
    all: v.optional(v.unknown()),
    ids: v.optional(v.unknown()),
    id: v.optional(v.unknown())
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const { all, ids, id } = dataset.value;
    const listed = Array.isArray(ids) && ids.length <= 1000 && ids.every((x) => typeof x === 'string');
    if (all !== true && !listed && typeof id !== 'string') addIssue({ message: 'send {"ids":[…]} or {"all":true}' });
  }),
  v.transform(({ all, ids, id }): string[] | 'all' => (all === true ? 'all' : Array.isArray(ids) ? (ids as string[]) : [id as string]))
);
