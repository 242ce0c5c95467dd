import { describe, expect, it } from 'vitest';
import { percent, since } from './format';

describe('format', () => {
  it('since: compact durations', () => {
    const now = Date.parse('2026-01-02T12:00:00Z');
    expect(since('2026-01-02T11:59:40Z', now)).toBe('just now');
    expect(since('2026-01-02T11:15:00Z', now)).toBe('45 min');
    expect(since('2026-01-02T09:00:00Z', now)).toBe('3 h');
    expect(since('2025-12-28T12:00:00Z', now)).toBe('5 d');
    expect(since(null, now)).toBe('');
  });
  it('percent', () => {
    expect(percent({ done: 1, total: 3 })).toBe(33);
    expect(percent({ done: 0, total: 0 })).toBe(0);
  });
});
