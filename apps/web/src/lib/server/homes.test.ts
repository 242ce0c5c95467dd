import { describe, expect, it } from 'vitest';
import { isPitboardError } from './errors';
import { homeFor } from './homes';

describe('homeFor: where each role lands after signing in', () => {
  it.each([
    ['manager', '/board'],
    ['mechanic', '/m'],
    ['customer', '/c']
  ] as const)('%s → %s', (role, home) => {
    expect(homeFor({ role })).toBe(home);
  });
});

describe('isPitboardError: the core’s typed errors, recognised by shape', () => {
  it('accepts {status, reason} and nothing else', () => {
    expect(isPitboardError({ status: 404, reason: 'no such job' })).toBe(true);
    expect(isPitboardError(new Error('boom'))).toBe(false);
    expect(isPitboardError({ status: '404', reason: 'x' })).toBe(false);
    expect(isPitboardError(null)).toBe(false);
  });
});
