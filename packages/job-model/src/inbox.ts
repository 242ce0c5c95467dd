/**
 * The messages on `inbox:<userId>` (docs/sync.md, The inbox), shared by the server and the web
 * client so both read one definition. Stateless JSON, both ways.
 */

/** A job's list row as a user may see it (staff fields only for managers and its mechanic). */
export interface JobSummary {
  id: string;
  number: number;
  bike: string;
  status: string;
  progress: { done: number; total: number };
  assigneeId: string | null;
  customerId: string;
  updatedAt: string;
  statusSince: string;
  createdAt: string;
  /** Position in the order of job-row changes: the newer of two copies of a row has the larger. */
  seq: number;
  /** SPEC S7: when the bike was promised back, or null. */
  promisedAt: string | null;
  /** SPEC E13, as of when the row was sent (re-derive with `isOverdue` as time passes). */
  overdue: boolean;
  /** SPEC C3, as of when the row was sent. */
  clockedSeconds: number;
  /** Sum of the prices of the lines not declined, in cents (SPEC A5). */
  total: number;
  /** The bike's serial (SPEC S8), '' when none (absent in rows a client stored before it came). */
  serial?: string;
  customerName?: string;
  description?: string;
  stuckReason?: string | null;
}

/** A notification (docs/api.md). */
export interface NotificationMessage {
  id: string;
  seq: number;
  kind: string;
  jobId: string;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
  resolvedAt: string | null;
}

/** Server → client. */
export type InboxMessage =
  | { type: 'job'; job: JobSummary }
  | { type: 'notification'; notification: NotificationMessage; unread: number }
  | { type: 'changed'; notifications: NotificationMessage[]; unread: number }
  | { type: 'backlog'; notifications: NotificationMessage[]; unread: number; more: boolean }
  /**
   * Job rows after the client's `jobsAfter`, oldest first. `full`: this page starts the user's
   * whole visible set (rows not in it and in the pages after it are no longer visible).
   * `cursor`: ask again from here; `more`: there is more after it.
   */
  | { type: 'jobs'; jobs: JobSummary[]; cursor: number; more: boolean; full: boolean }
  /** Something may have been missed (e.g. a relay between instances recovered): sync again. */
  | { type: 'resync' };

/**
 * Client → server. `after`: the last notification seq seen (backlog); `jobsAfter`: the last
 * job-row cursor (0: none yet). With only `jobsAfter`, no backlog is sent.
 */
export type InboxRequest = { type: 'sync'; after?: number; jobsAfter?: number };
