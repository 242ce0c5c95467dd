/**
 * Reading the workshop-day roots (SPEC S7): `parts` and `clock` entries as typed facts. Total
 * like the rest of `readJob` (S2): a missing or mistyped field reads as its empty value, an
 * entry that is not a map is skipped.
 */
import { isRecord } from './schema.js';
import type { ClockFacts, PartFacts } from './types.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const entries = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isRecord) : []);

export function partsFromRaw(raw: unknown): PartFacts[] {
  return entries(raw).map((e) => ({
    id: str(e.id),
    name: str(e.name),
    expectedAt: strOrNull(e.expectedAt),
    orderedBy: str(e.orderedBy),
    orderedAt: str(e.orderedAt),
    arrivedAt: strOrNull(e.arrivedAt),
    arrivedBy: strOrNull(e.arrivedBy)
  }));
}

export function clockFromRaw(raw: unknown): ClockFacts[] {
  return entries(raw).map((e) => ({
    id: str(e.id),
    mechanicId: str(e.mechanicId),
    startedAt: str(e.startedAt),
    stoppedAt: strOrNull(e.stoppedAt)
  }));
}
