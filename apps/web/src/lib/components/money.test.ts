import { describe, expect, it } from 'vitest';
import { parsePrice, priceField } from './money';

describe('parsePrice: what people type, to whole cents', () => {
  it.each([
    ['45', 4500],
    ['45.5', 4550],
    ['45,50', 4550],
    [' 0 ', 0],
    ['1234.05', 123405]
  ])('%s → %i cents', (typed, cents) => {
    expect(parsePrice(typed)).toEqual({ cents });
  });

  it.each(['', '-5', '4.555', 'abc', '1e3', '45.'])('%s is refused with words', (typed) => {
    expect(parsePrice(typed)).toHaveProperty('error');
  });

  it('shows cents back as an amount for a field', () => {
    expect(priceField(4550)).toBe('45.50');
    expect(priceField(undefined)).toBe('');
  });
});
