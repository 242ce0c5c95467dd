/**
 * A timeline entry (SPEC T) in words: for staff with who did it, for the customer without.
 * A kind another fact adds (parts, approvals, clocked work) gets its words here; an unknown
 * kind still shows, as its name.
 */
const STAFF: Record<string, (who: string, text?: string) => string> = {
  created: () => 'Job created at intake',
  assigned: (who) => `Assigned to ${who}`,
  item_done: (who, text) => `${who} finished “${text ?? 'an item'}”`,
  note: (who) => `${who} added a note`,
  stuck: (who) => `${who} reported it stuck`,
  unstuck: (who) => `${who} resolved the stuck report`,
  qc_passed: (who) => `${who} passed quality check`,
  qc_failed: (who) => `${who} failed quality check`,
  collected: () => 'Collected by the customer'
};

const CUSTOMER: Record<string, (text?: string) => string> = {
  created: () => 'We received your bike',
  assigned: () => 'A mechanic took your bike',
  item_done: (text) => `Done: ${text ?? 'an item'}`,
  note: () => 'A message from the workshop',
  qc_passed: () => 'Passed our final quality check',
  collected: () => 'Collected. Thanks for riding with us'
};

const fallback = (kind: string) => kind.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

export function staffWords(kind: string, who: string, text?: string): string {
  return STAFF[kind]?.(who, text) ?? fallback(kind);
}

export function customerWords(kind: string, text?: string): string {
  return CUSTOMER[kind]?.(text) ?? fallback(kind);
}

/** Kinds whose text is shown under the line (the rest already say it, or keep it short). */
export const SHOWS_TEXT = new Set(['note', 'stuck', 'unstuck', 'qc_passed', 'qc_failed']);
