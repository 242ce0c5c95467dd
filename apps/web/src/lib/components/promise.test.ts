import { describe, expect, it } from 'vitest';
import { byPromise, duration, fromLocalInput, promiseText, promisedFromForm, toLocalInput } from './promise';

const form = (values: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.set(k, v);
  return f;
};

describe('the workshop day in words and order', () => {
  it('byPromise: promised jobs first, earliest first, then the longest waiting', () => {
    const rows = [
      { id: 'none-old', promisedAt: null, statusSince: '2026-01-01T08:00:00Z' },
      { id: 'late', promisedAt: '2026-01-02T10:00:00.000Z', statusSince: '2026-01-01T12:00:00Z' },
      { id: 'none-new', promisedAt: null, statusSince: '2026-01-01T09:00:00Z' },
      { id: 'early', promisedAt: '2026-01-01T10:00:00.000Z', statusSince: '2026-01-01T12:00:00Z' }
    ];
    expect([...rows].sort(byPromise).map((r) => r.id)).toEqual(['early', 'late', 'none-old', 'none-new']);
  });

  it('promiseText says overdue in words, and nothing when nothing was promised', () => {
    const now = Date.parse('2026-01-02T12:00:00Z');
    expect(promiseText('2026-01-02T11:00:00Z', 'in_progress', now)).toMatch(/^Overdue · due /);
    expect(promiseText('2026-01-02T13:00:00Z', 'in_progress', now)).toMatch(/^Due /);
    expect(promiseText('2026-01-02T11:00:00Z', 'ready_for_pickup', now)).toMatch(/^Due /);
    expect(promiseText(null, 'intake', now)).toBe('');
  });

  it('duration: minutes, then hours and minutes', () => {
    expect(duration(0)).toBe('0 min');
    expect(duration(59 * 60 + 59)).toBe('59 min');
    expect(duration(65 * 60)).toBe('1 h 05 min');
  });

  it('datetime-local values round-trip through UTC; junk is no time', () => {
    const iso = fromLocalInput('2030-05-06T17:30')!;
    expect(iso).toBe(new Date('2030-05-06T17:30').toISOString());
    expect(toLocalInput(iso)).toBe('2030-05-06T17:30');
    expect(fromLocalInput('tomorrow')).toBeNull();
    expect(toLocalInput(null)).toBe('');
  });

  it('promisedFromForm: the script’s UTC value first, the picker without script, empty is no promise', () => {
    expect(promisedFromForm(form({ promisedAt: '2030-05-06T15:30:00.000Z', promisedLocal: '2030-05-06T17:30' }))).toEqual({ ok: true, value: '2030-05-06T15:30:00.000Z' });
    expect(promisedFromForm(form({ promisedLocal: '2030-05-06T17:30' }))).toEqual({ ok: true, value: new Date('2030-05-06T17:30').toISOString() });
    expect(promisedFromForm(form({}))).toEqual({ ok: true, value: null });
    expect(promisedFromForm(form({ promisedAt: 'soon' }))).toMatchObject({ ok: false });
    expect(promisedFromForm(form({ promisedLocal: 'soon' }))).toMatchObject({ ok: false });
  });
});
