/** Words and times shown to people (shared by the board, the customer pages and the bell). */
export const STATUS_LABEL: Record<string, string> = {
  intake: 'Intake',
  assigned: 'Assigned',
  in_progress: 'In progress',
  stuck: 'Stuck',
  awaiting_approval: 'Awaiting approval',
  waiting_for_parts: 'Waiting for parts',
  quality_check: 'Quality check',
  ready_for_pickup: 'Ready for pickup',
  collected: 'Collected'
};

/** Status in words for customers. */
export const STATUS_CUSTOMER: Record<string, string> = {
  intake: 'We have your bike and will start soon',
  assigned: 'A mechanic has your bike',
  in_progress: 'Work in progress',
  stuck: 'Work paused: we are sorting something out',
  awaiting_approval: 'We need your OK for extra work',
  waiting_for_parts: 'Waiting for a part',
  quality_check: 'Final quality check',
  ready_for_pickup: 'Ready for pickup',
  collected: 'Collected. Thanks for riding with us'
};

/** "3 min", "2 h", "4 d": a compact duration since `iso`. */
export function since(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '';
  const ms = Math.max(0, now - Date.parse(iso));
  const min = Math.floor(ms / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

export function clock(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const sameDay = new Date().toDateString() === d.toDateString();
  return sameDay
    ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleString([], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export function percent(p: { done: number; total: number }): number {
  return p.total ? Math.round((p.done / p.total) * 100) : 0;
}

/** Server texts may carry emoji; the UI shows none (icons instead), so they are dropped. */
export function plain(text: string): string {
  return text.replace(/[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu, '').replace(/\s+/g, ' ').trim();
}
