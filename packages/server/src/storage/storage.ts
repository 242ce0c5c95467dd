/**
 * The storage interface of the server: one small interface per data area (each in its own
 * file, on Kysely), composed here so callers take one `Storage`. Everything persistent goes
 * through it, so the SQLite default and PostgreSQL share one contract test suite
 * (test/storage.contract.test.ts).
 */
import type { ApprovalDecisions } from './approval-decisions.js';
import type { DocumentStore } from './documents.js';
import type { JobStore } from './jobs.js';
import type { NotificationStore } from './notifications.js';
import type { OverdueAlerts } from './overdue-alerts.js';
import type { JobSearchStore } from './job-search.js';
import type { JobRow } from './jobs.js';
import type { PhotoStorage } from './photo-storage.js';
import type { StatusHistoryStore } from './status-history.js';
import type { SessionStore } from './sessions.js';
import type { ShareLinkStore } from './share-links.js';
import type { UserStore } from './users.js';

export type { DocumentStore } from './documents.js';
export type { JobFilter, JobRow, JobStore } from './jobs.js';
export type { JobEventsInput, JobEventsResult, NewNotification, NotificationRow, NotificationStore } from './notifications.js';
export type { SessionRow, SessionStore, SessionWithUser } from './sessions.js';
export type { ShareLinkRow, ShareLinkStore } from './share-links.js';
export type { PublicUser, UserRow, UserStore } from './users.js';

/** The database's own health, beside the data areas. */
export interface DatabaseHealth {
  readonly dialect: 'sqlite' | 'postgres';
  /** A real, tiny committed write (readiness); rejects with what is wrong, within ~`waitMs`. */
  probe(waitMs: number): Promise<void>;
  /** Times a statement found SQLite locked by another process and waited (always 0 on PostgreSQL). */
  lockWaits(): number;
  close(): Promise<void>;
}

export interface Storage extends DocumentStore, UserStore, SessionStore, JobStore, ShareLinkStore, NotificationStore, DatabaseHealth {
  /** Overdue promises and their one-time alerts (overdue-alerts.ts, SPEC E13). */
  readonly overdueAlerts: OverdueAlerts;
  /** Customers' decisions on lines, claimed once (approval-decisions.ts, SPEC A4). */
  readonly approvalDecisions: ApprovalDecisions;
  /** Stored photos (photo-storage.ts, SPEC F). */
  readonly photos: PhotoStorage;
  /** Search over the jobs read model (job-search.ts, SPEC Q). */
  readonly search: JobSearchStore<JobRow>;
  /** How long jobs stayed in each status (status-history.ts). */
  readonly statusHistory: StatusHistoryStore;
}
