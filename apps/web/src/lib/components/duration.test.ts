import { describe, expect, it } from 'vitest';
import { duration } from './duration';

describe('duration', () => {
  it('shows jobs under an hour in minutes, then hours, then days', () => {
    expect(duration(0)).toBe('0 min');
    expect(duration(0.004)).toBe('under a minute');
    expect(duration(0.25)).toBe('15 min');
    expect(duration(0.999)).toBe('60 min');
    expect(duration(1)).toBe('1 h');
    expect(duration(3.46)).toBe('3.5 h');
    expect(duration(50)).toBe('2.1 days');
    expect(duration(null)).toBe('–');
  });
});
