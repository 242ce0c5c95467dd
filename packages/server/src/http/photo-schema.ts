/** The query of `POST /api/jobs/:id/photos` as one valibot schema, with plain-words errors. */
import * as v from 'valibot';
import { BadRequestError } from '../errors.js';

export const PhotoUploadQuery = v.object({
  itemId: v.optional(v.pipe(v.string(), v.maxLength(64, 'itemId must be at most 64 characters'))),
  visibility: v.optional(v.picklist(['internal', 'customer'], 'visibility must be internal or customer'), 'internal')
});

export const PhotoSizeQuery = v.optional(v.picklist(['full', 'thumb'], 'size must be thumb, or left out for the full photo'), 'full');

/** Parses `schema` or throws a 400 that says what is wrong. */
export function parseQuery<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (!result.success) throw new BadRequestError(result.issues[0]?.message ?? 'bad query');
  return result.output;
}
