/**
 * A timeline entry (SPEC T) in words: for staff with who did it, for the customer without.
 * A kind another fact adds gets its words here; an unknown kind still shows, as its name.
 * `price` arrives already written in the workshop's currency (or '' when there is none).
 */
const priced = (text: string | undefined, price: string) => `“${text ?? 'a line'}”${price ? ` (${price})` : ''}`;

const STAFF: Record<string, (who: string, text: string | undefined, price: string) => string> = {
  created: () => 'Job created at intake',
  assigned: (who) => `Assigned to ${who}`,
  item_done: (who, text) => `${who} finished “${text ?? 'an item'}”`,
  note: (who) => `${who} added a note`,
  stuck: (who) => `${who} reported it stuck`,
  unstuck: (who) => `${who} resolved the stuck report`,
  qc_passed: (who) => `${who} passed quality check`,
  qc_failed: (who) => `${who} failed quality check`,
  // SPEC A3/A4: a proposal names who made it; the decision is the customer's, through their link.
  approval_requested: (who, text, price) => `${who} asked the customer to approve ${priced(text, price)}`,
  approval_approved: (_who, text, price) => `The customer approved ${priced(text, price)}`,
  approval_declined: (_who, text, price) => `The customer declined ${priced(text, price)}`,
  part_ordered: (who, text) => `${who} ordered a part: ${text ?? 'unnamed'}`,
  part_arrived: (who, text) => `Part arrived: ${text ?? 'unnamed'} (marked by ${who})`,
  clock_started: (who) => `${who} started the work timer`,
  clock_stopped: (who) => `${who} stopped the work timer`,
  photo_added: (who, text) => `${who} added a photo${text ? ` of “${text}”` : ''}`,
  collected: () => 'Collected by the customer'
};

const CUSTOMER: Record<string, (text: string | undefined, price: string) => string> = {
  created: () => 'We received your bike',
  assigned: () => 'A mechanic took your bike',
  item_done: (text) => `Done: ${text ?? 'an item'}`,
  note: () => 'A message from the workshop',
  qc_passed: () => 'Passed our final quality check',
  approval_requested: (text, price) => `We asked for your approval: ${priced(text, price)}`,
  approval_approved: (text, price) => `You approved ${priced(text, price)}`,
  approval_declined: (text, price) => `You declined ${priced(text, price)}`,
  // SPEC W4: the customer is never told which part.
  part_ordered: () => 'We ordered a part for your bike',
  part_arrived: () => 'A part we were waiting for arrived',
  photo_added: (text) => (text ? `A photo of “${text}”` : 'The workshop added a photo'),
  collected: () => 'Collected. Thanks for riding with us'
};

const fallback = (kind: string) => kind.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

export function staffWords(kind: string, who: string, text?: string, price = ''): string {
  return STAFF[kind]?.(who, text, price) ?? fallback(kind);
}

export function customerWords(kind: string, text?: string, price = ''): string {
  return CUSTOMER[kind]?.(text, price) ?? fallback(kind);
}

/** Kinds whose text is shown under the line (the rest already say it, or keep it short). */
export const SHOWS_TEXT = new Set(['note', 'stuck', 'unstuck', 'qc_passed', 'qc_failed']);
