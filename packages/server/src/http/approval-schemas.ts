/**
 * One valibot schema per request body of the item and approval endpoints (docs/api.md), and a
 * parse that turns the first issue into a plain-words 400 naming the field.
 */
import * as v from 'valibot';
import { LIMITS } from '@pitboard/job-model';
import { BadRequestError } from '../errors.js';

const title = v.pipe(
  v.string('title must be text'),
  v.trim(),
  v.minLength(1, 'title is required'),
  v.maxLength(LIMITS.title, `title must be at most ${LIMITS.title} characters`)
);
const price = v.pipe(
  v.number('price must be a number of cents'),
  v.integer('price must be a whole number of cents (4500 for 45.00)'),
  v.minValue(0, 'price must not be negative'),
  v.maxValue(LIMITS.price, `price must be at most ${LIMITS.price} cents`)
);
const reason = v.pipe(
  v.string('reason must be text'),
  v.trim(),
  v.maxLength(LIMITS.reason, `reason must be at most ${LIMITS.reason} characters`)
);

/** `POST /api/jobs/:id/items` */
export const NewItemBody = v.object({
  title,
  price: v.optional(price),
  needsApproval: v.optional(v.boolean('needsApproval must be true or false')),
  reason: v.optional(reason)
});

/** `PATCH /api/jobs/:id/items/:itemId`: a new title and/or price (`null` takes the price away). */
export const EditItemBody = v.pipe(
  v.object({ title: v.optional(title), price: v.optional(v.nullable(price)) }),
  v.check((b) => b.title !== undefined || b.price !== undefined, 'send a title or a price to change')
);

/** `POST /api/share/:token/approvals/:itemId`: the decision, and what the page showed. */
export const DecisionBody = v.object({
  decision: v.picklist(['approved', 'declined'], "decision must be 'approved' or 'declined'"),
  title: v.optional(v.string('title must be text')),
  price: v.optional(v.number('price must be a number of cents'))
});

export function parseBody<S extends v.GenericSchema>(schema: S, body: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, body);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const field = issue.path?.map((p) => String(p.key)).join('.');
  // An unexpected type for a field the schema names says which field; the message says the rest.
  throw new BadRequestError(field && !issue.message.startsWith(field) ? `${field}: ${issue.message}` : issue.message);
}
