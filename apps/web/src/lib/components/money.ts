/** Prices typed by people, to whole cents (SPEC S5), and back for showing. */

/** SPEC S5's largest price (job-model LIMITS.price), kept here so this file stays free of the model's runtime. */
const MAX_CENTS = 100_000_000;

/**
 * "45", "45.5", "45,50": a plain amount with at most two decimals, dot or comma;
 * anything else is refused with a sentence to show next to the field.
 */
export function parsePrice(input: string): { cents: number } | { error: string } {
  const text = input.trim().replace(/\s/g, '');
  if (text === '') return { error: 'Give a price (0 if it is free).' };
  const m = /^(\d{1,7})(?:[.,](\d{1,2}))?$/.exec(text);
  if (!m) return { error: 'Write the price as a number, like 45 or 45.50.' };
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0') || 0);
  if (cents > MAX_CENTS) return { error: 'That price is too large.' };
  return { cents };
}

/** Cents as a plain amount for an input field: 4550 → "45.50". */
export const priceField = (cents: number | undefined): string => (cents === undefined ? '' : (cents / 100).toFixed(2));
