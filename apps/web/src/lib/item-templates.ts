/** Reusable repair-item templates for the intake form: pick one, its items fill the list. */
export interface ItemTemplate {
  id: string;
  name: string;
  items: string[];
}

export const ITEM_TEMPLATES: readonly ItemTemplate[] = [
  {
    id: 'full-service',
    name: 'Full service',
    items: ['Clean and degrease drivetrain', 'Check chain wear', 'Index gears', 'Adjust brakes', 'True wheels', 'Check headset and bottom bracket', 'Torque check and safety test ride']
  },
  { id: 'puncture', name: 'Puncture', items: ['Replace inner tube', 'Inspect tyre for debris', 'Inflate to recommended pressure'] },
  { id: 'brake-bleed', name: 'Brake bleed', items: ['Bleed front brake', 'Bleed rear brake', 'Check pads and rotors'] },
  { id: 'gear-tune', name: 'Gear tune-up', items: ['Index rear derailleur', 'Adjust front derailleur', 'Lubricate chain'] }
];

/** Items of a template by id (empty for an unknown id). */
export function templateItems(id: string): string[] {
  return [...(ITEM_TEMPLATES.find((t) => t.id === id)?.items ?? [])];
}

/** Parses the intake form's items field: one item per line, trimmed, blanks and duplicates dropped. */
export function parseItems(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const t = raw.trim().replace(/\s+/g, ' ');
    if (!t || seen.has(t.toLowerCase())) continue;
    seen.add(t.toLowerCase());
    out.push(t);
  }
  return out;
}
