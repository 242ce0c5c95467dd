/**
 * The workshop day in words and order (docs/api.md, The workshop day): promised times, overdue
 * markers, clocked durations, and the `datetime-local` ⇄ UTC conversions of the forms.
 */
import { isOverdue } from '@pitboard/job-model';
import { clock } from './format';

/** Board and list order: promised jobs first, the earliest promise first; then longest waiting. */
export function byPromise<T extends { promisedAt?: string | null; statusSince: string }>(a: T, b: T): number {
  if (a.promisedAt && b.promisedAt) return a.promisedAt.localeCompare(b.promisedAt) || a.statusSince.localeCompare(b.statusSince);
  if (a.promisedAt) return -1;
  if (b.promisedAt) return 1;
  return a.statusSince.localeCompare(b.statusSince);
}

/** "Overdue · due 14:00", "Due 17:00", or '' when nothing was promised. Text, never colour alone. */
export function promiseText(promisedAt: string | null | undefined, status: string, now: number): string {
  if (!promisedAt) return '';
  return isOverdue(promisedAt, status, now) ? `Overdue · due ${clock(promisedAt)}` : `Due ${clock(promisedAt)}`;
}

/** "45 min", "1 h 05 min", "0 min". */
export function duration(seconds: number): string {
  const min = Math.floor(Math.max(0, seconds) / 60);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min`;
}

/** An ISO time as the value of an `<input type="datetime-local">` in the browser's zone. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (read in this runtime's zone) as UTC ISO; null when empty or not a time. */
export function fromLocalInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * The promised time a form sent: `promisedAt` (UTC ISO, set by the page's script) or, without
 * script, the picker's value read in this server's zone. Empty: no promise (null).
 */
export function promisedFromForm(form: FormData): { ok: true; value: string | null } | { ok: false; error: string } {
  const iso = String(form.get('promisedAt') ?? '').trim();
  const local = String(form.get('promisedLocal') ?? '').trim();
  if (iso) return Number.isFinite(Date.parse(iso)) ? { ok: true, value: new Date(iso).toISOString() } : { ok: false, error: 'Pick a date and time for the promise.' };
  if (!local) return { ok: true, value: null };
  const value = fromLocalInput(local);
  return value ? { ok: true, value } : { ok: false, error: 'Pick a date and time for the promise.' };
}
