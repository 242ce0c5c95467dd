/** Comparing the plain JSON `readRaw` produces, for the permission rules. */
import { isRecord } from './schema.js';

/** Keys whose presence or value differs. */
export function changedKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((key) => Object.hasOwn(a, key) !== Object.hasOwn(b, key) || !sameValue(a[key], b[key]));
}

/** Deep equality of JSON-like values (what readRaw produces). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isRecord(a) && isRecord(b)) return changedKeys(a, b).length === 0;
  return false;
}
