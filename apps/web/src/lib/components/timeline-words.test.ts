import { describe, expect, it } from 'vitest';
import { customerWords, staffWords } from './timeline-words';

// SPEC T1/T2: the kinds approval lines, parts, clocked work and photos add read as plain words.
describe('timeline words', () => {
  it('staff read who did it, what and the price (T1)', () => {
    expect(staffWords('approval_requested', 'Theo', 'New hanger', '€25.00')).toBe('Theo asked the customer to approve “New hanger” (€25.00)');
    expect(staffWords('approval_approved', 'someone', 'New hanger', '€25.00')).toBe('The customer approved “New hanger” (€25.00)');
    expect(staffWords('approval_declined', 'someone', 'Bell', '')).toBe('The customer declined “Bell”');
    expect(staffWords('part_ordered', 'Ana', 'XT hanger')).toBe('Ana ordered a part: XT hanger');
    expect(staffWords('part_arrived', 'Theo', 'XT hanger')).toBe('Part arrived: XT hanger (marked by Theo)');
    expect(staffWords('clock_started', 'Theo')).toBe('Theo started the work timer');
    expect(staffWords('clock_stopped', 'Theo')).toBe('Theo stopped the work timer');
    expect(staffWords('photo_added', 'Theo', 'Brakes')).toBe('Theo added a photo of “Brakes”');
    expect(staffWords('photo_added', 'Theo')).toBe('Theo added a photo');
  });

  it('the customer reads no part name and no staff name (T2)', () => {
    expect(customerWords('approval_requested', 'New hanger', '€25.00')).toBe('We asked for your approval: “New hanger” (€25.00)');
    expect(customerWords('approval_approved', 'New hanger', '€25.00')).toBe('You approved “New hanger” (€25.00)');
    expect(customerWords('approval_declined', 'Bell', '€9.00')).toBe('You declined “Bell” (€9.00)');
    expect(customerWords('part_ordered')).toBe('We ordered a part for your bike');
    expect(customerWords('part_arrived')).toBe('A part we were waiting for arrived');
    expect(customerWords('photo_added', 'Brakes')).toBe('A photo of “Brakes”');
    expect(customerWords('photo_added')).toBe('The workshop added a photo');
  });
});
