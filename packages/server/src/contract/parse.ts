import * as v from 'valibot';
import { BadRequestError } from '../errors.js';

/**
 * The request's value, or a 400 with the first problem in plain words, naming the input it is
 * about (`field`, e.g. `customer.email`), so a form can show it beside that input.
 */
export function parseRequest<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input, { abortEarly: true });
  if (result.success) return result.output;
  const issue = result.issues[0];
  const error = new BadRequestError(issue.message);
  const field = v.getDotPath(issue);
  if (field) error.about(field);
  throw error;
}

/** What a form needs: the value, or every field's first problem (a form shows them all at once). */
export type CheckedRequest<T> = { ok: true; value: T } | { ok: false; problems: Record<string, string> };

/**
 * The same schema and words as `parseRequest`, for a form: each field's first problem, keyed by
 * its dotted path (`customer.name`); a problem about no one field is under `form`.
 */
export function checkRequest<S extends v.GenericSchema>(schema: S, input: unknown): CheckedRequest<v.InferOutput<S>> {
  const result = v.safeParse(schema, input, { abortPipeEarly: true });
  if (result.success) return { ok: true, value: result.output };
  const problems: Record<string, string> = {};
  for (const issue of result.issues) problems[v.getDotPath(issue) ?? 'form'] ??= issue.message;
  return { ok: false, problems };
}
