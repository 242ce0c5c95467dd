/**
 * Table types for Kysely. Times are ISO-8601 strings (UTC) in both dialects so rows compare
 * and sort the same on SQLite and PostgreSQL; binary Yjs data is a Uint8Array.
 */
import type { Generated } from 'kysely';

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: 'manager' | 'mechanic' | 'customer';
  /** Argon2id PHC string; null for a customer created at intake who has no login yet. */
  password_hash: string | null;
  created_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  /** SHA-256 of the token's secret half (Lucia's guide): a leaked table holds no usable token. */
  secret_hash: Uint8Array;
  created_at: string;
  last_verified_at: string;
}

/** The stored snapshot of a Yjs document, folded from the update log. */
export interface DocumentsTable {
  name: string;
  state: Uint8Array;
  updated_at: string;
}

/** Every accepted update, appended before it is applied: what makes an acknowledged edit durable. */
export interface DocumentUpdatesTable {
  id: Generated<number>;
  name: string;
  data: Uint8Array;
  created_at: string;
}

/** The read model: one row per job, kept current from every accepted change. */
export interface JobsTable {
  id: string;
  number: number;
  bike: string;
  description: string;
  customer_id: string;
  customer_name: string;
  assignee_id: string | null;
  status: string;
  items_done: number;
  items_total: number;
  stuck_reason: string | null;
  created_at: string;
  updated_at: string;
  status_since: string;
  collected_at: string | null;
  /** JSON of the facts last turned into events (see Notifier); null until first processed. */
  event_baseline?: string | null;
  /** Position in the order of job-row changes (counter `job_seq`): a client's catch-up cursor. */
  seq: number;
  /** The promised time (SPEC S7); null when none. */
  promised_at: string | null;
  /** JSON of the clocked spans (`compactClock`, SPEC C3); null when none. */
  clock: string | null;
  /** Sum of the prices of the lines not declined, in cents (SPEC A5). */
  total: number;
  /** The bike's serial as recorded (SPEC S8); '' when none. */
  serial: string;
  /** The customer's phone, digits only (SPEC Q1): search compares it, nothing shows it. */
  customer_phone: string;
  /** Lower-case number, bike, serial (as written and without spaces/dashes) and customer name: what search looks in. */
  search_text: string;
}

/** How long a job stayed in one status: written by the projector when the status changes. */
export interface JobStatusSpansTable {
  job_id: string;
  status: string;
  started_at: string;
  ended_at: string;
  hours: number;
}

export interface ShareLinksTable {
  id: string;
  job_id: string;
  /** SHA-256 of the capability token (an HMAC of the id with a secret kept outside the database: docs/api.md). */
  token_hash: string;
  created_by: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface NotificationsTable {
  id: string;
  /** Position in the global notification order: a client's catch-up cursor. */
  seq: number;
  user_id: string;
  job_id: string;
  kind: string;
  /** The logical event's key (JobEvent.key): unique per user and job, so stored once. */
  event_key: string;
  title: string;
  body: string;
  created_at: string;
  read_at: string | null;
  /** Set when the facts have made the alert moot (SPEC E9). */
  resolved_at: string | null;
}

/** One row per job and promised time whose overdue alert went out (SPEC E13). */
export interface OverdueAlertsTable {
  job_id: string;
  promised_at: string;
  fired_at: string;
}

/** A customer's decision on a line, claimed once per (job, item) before it is written to the document (SPEC A4). */
export interface ApprovalDecisionsTable {
  job_id: string;
  item_id: string;
  decision: 'approved' | 'declined';
  title: string;
  price: number;
  share_link_id: string;
  decided_at: string;
}

export interface CountersTable {
  name: string;
  value: number;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  documents: DocumentsTable;
  document_updates: DocumentUpdatesTable;
  jobs: JobsTable;
  share_links: ShareLinksTable;
  notifications: NotificationsTable;
  counters: CountersTable;
  overdue_alerts: OverdueAlertsTable;
  approval_decisions: ApprovalDecisionsTable;
  job_status_spans: JobStatusSpansTable;
}
