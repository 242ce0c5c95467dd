/**
 * Building blocks of the request schemas (valibot): each names its field and says what is wrong
 * in plain words, the same for the API's `{error}` and the pages' forms.
 */
import * as v from 'valibot';

/** The one email check (API, intake form, CLI-created customers alike). */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * An object of fields. valibot reports a missing key in the object's words, so the object says
 * "<prefix><key> is required"; each field says what else is wrong with it.
 */
export function fields<const E extends v.ObjectEntries>(entries: E, prefix = '') {
  return v.object(entries, (issue) => {
    const key = issue.path?.[0]?.key;
    return typeof key === 'string' ? `${prefix}${key} is required` : `${prefix.trim() || 'body'} must be an object`;
  });
}

/** A string that must be there (trimmed, not blank). */
export function requiredText(key: string, max: number) {
  return v.pipe(
    v.unknown(),
    v.check((s) => typeof s === 'string' && s.trim() !== '', `${key} is required`),
    v.transform((s) => (s as string).trim()),
    v.maxLength(max, `${key} must be at most ${max} characters`)
  );
}

/** A string that may be missing or null (then `undefined`); trimmed. */
export function optionalText(key: string, max: number) {
  return v.pipe(
    v.nullish(v.pipe(v.string(`${key} must be a string`), v.maxLength(max, `${key} must be at most ${max} characters`), v.trim())),
    v.transform((s) => s ?? undefined)
  );
}

export function requiredBoolean(key: string) {
  return v.pipe(
    v.unknown(),
    v.check((b) => typeof b === 'boolean', `${key} must be true or false`),
    v.transform((b) => b as boolean)
  );
}

/** One of a few words (e.g. a note's visibility). */
export function oneOf<const T extends string>(key: string, options: readonly [T, ...T[]]) {
  return v.pipe(
    v.unknown(),
    v.check((s) => options.includes(s as T), `${key} must be ${options.slice(0, -1).join(', ')} or ${options.at(-1)}`),
    v.transform((s) => s as T)
  );
}

/** A list of non-blank strings (trimmed); missing means empty when `min` is 0. */
export function textList(key: string, { min = 0, max = 100, maxLength = 200 } = {}) {
  const list = v.pipe(
    v.unknown(),
    v.check((entries) => Array.isArray(entries), `${key} must be a list of strings`),
    v.transform((entries) => entries as unknown[]),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const entries = dataset.value;
      if (entries.length < min) return addIssue({ message: `${key} needs at least ${min} entr${min === 1 ? 'y' : 'ies'}` });
      if (entries.length > max) return addIssue({ message: `${key} may have at most ${max} entries` });
      const bad = entries.findIndex((s) => typeof s !== 'string' || !s.trim() || s.length > maxLength);
      if (bad < 0) return;
      const s = entries[bad];
      addIssue({ message: typeof s === 'string' && s.trim() ? `${key}[${bad}] must be at most ${maxLength} characters` : `${key}[${bad}] must be a non-empty string` });
    }),
    v.transform((entries) => entries.map((s) => (s as string).trim()))
  );
  return min === 0 ? v.optional(list, () => []) : list;
}
