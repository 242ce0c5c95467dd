import { describe, expect, it } from 'vitest';
import { ITEM_TEMPLATES, parseItems, templateItems } from './item-templates';

describe('item templates', () => {
  it('offers the templates the shop uses', () => {
    expect(ITEM_TEMPLATES.map((t) => t.name)).toEqual(expect.arrayContaining(['Full service', 'Puncture', 'Brake bleed']));
    expect(templateItems('puncture').length).toBeGreaterThan(0);
    expect(templateItems('nope')).toEqual([]);
  });
  it('parses one item per line, without blanks or duplicates', () => {
    expect(parseItems(' Fix brake \n\n fix brake\nTrue   wheel\r\n')).toEqual(['Fix brake', 'True wheel']);
  });
});
