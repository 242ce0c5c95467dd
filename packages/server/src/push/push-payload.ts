/**
 * What a push says, per notification kind and recipient (docs/api.md, Push). Only what the
 * notification itself already shows its recipient: a customer's push carries the customer-facing
 * title and body and a link to their own page, nothing internal (no staff, notes or reasons).
 */
import type { NotificationRow } from '../storage/index.js';

/** The kinds that reach a closed tab: a mechanic's assignment, a manager's QC and stuck alerts, a customer's pickup. */
export const PUSHED_KINDS = new Set(['assigned', 'ready_for_qc', 'stuck', 'ready_for_pickup']);

export interface PushPayload {
  kind: string;
  title: string;
  body: string;
  /** The page the system notification opens. */
  url: string;
  /** One system notification per job and kind: a newer one replaces it. */
  tag: string;
}

const PAGE_OF_KIND: Record<string, string> = {
  assigned: '/m/jobs/',
  ready_for_qc: '/board/jobs/',
  stuck: '/board/jobs/',
  ready_for_pickup: '/c/jobs/'
};

export function payloadFor(n: NotificationRow): PushPayload {
  return { kind: n.kind, title: n.title, body: n.body, url: `${PAGE_OF_KIND[n.kind] ?? '/'}${encodeURIComponent(n.jobId)}`, tag: `${n.kind}:${n.jobId}` };
}

/** A share-page viewer's push: the customer's words, opening the share page they subscribed from. */
export function sharePayloadFor(n: NotificationRow, sharePath: string): PushPayload {
  return { kind: n.kind, title: n.title, body: n.body, url: sharePath, tag: `${n.kind}:${n.jobId}` };
}
