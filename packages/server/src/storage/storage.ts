/**
 * The one storage interface of the server. Everything persistent goes through it, so the
 * SQLite default and PostgreSQL share one contract test suite (test/storage.contract.test.ts).
 */
import type { Role } from '@pitboard/job-model';
import type { JobSearchStore } from './job-search.js';
import type { StatusHistoryStore } from './status-history.js';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string | null;
  createdAt: string;
}

export type PublicUser = Omit<UserRow, 'passwordHash' | 'createdAt'>;

export interface SessionRow {
  id: string;
  userId: string;
  secretHash: Uint8Array;
  createdAt: string;
  lastVerifiedAt: string;
}

export interface JobRow {
  id: string;
  number: number;
  bike: string;
  description: string;
  customerId: string;
  customerName: string;
  assigneeId: string | null;
  status: string;
  itemsDone: number;
  itemsTotal: number;
  stuckReason: string | null;
  createdAt: string;
  updatedAt: string;
  statusSince: string;
  collectedAt: string | null;
  /** Position in the order of job-row changes, set by storage on every save (0: not saved since the column came). */
  seq: number;
  /** The bike's serial (SPEC S8), '' when none. */
  serial: string;
  /** The customer's phone as digits only, for search (Q1); never in a list row. */
  customerPhone: string;
}

export interface JobFilter {
  status?: string;
  assigneeId?: string;
  customerId?: string;
  /** Leave collected jobs out. */
  activeOnly?: boolean;
  /** Only rows saved after this position, in `seq` order (catch-up) instead of newest number first. */
  afterSeq?: number;
  limit?: number;
}

export interface ShareLinkRow {
  id: string;
  jobId: string;
  tokenHash: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface NotificationRow {
  id: string;
  seq: number;
  userId: string;
  jobId: string;
  kind: string;
  eventKey: string;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
  resolvedAt: string | null;
}

export interface NewNotification {
  userId: string;
  jobId: string;
  kind: string;
  eventKey: string;
  title: string;
  body: string;
  createdAt: string;
  /** Replace (and mark unread again) an entry with the same key instead of keeping the first. */
  coalesce?: boolean;
}

export interface JobEventsInput {
  jobId: string;
  /**
   * From the stored baseline to what to store; null: nothing to record (an older reading of the
   * job). `resolveMoot: false` says no open notification can have turned moot (nothing `isMoot`
   * reads changed): the open ones are then not even read.
   */
  compute: (baseline: string | null) => { baseline: string; notifications: NewNotification[]; resolveMoot?: boolean } | null;
  isMoot: (n: NotificationRow) => boolean;
}

export interface JobEventsResult {
  /** Notifications stored by this call (new, or coalesced into an existing entry). */
  stored: NotificationRow[];
  /** Open notifications of the job this call marked resolved (with a new `seq`, like markRead). */
  resolved: NotificationRow[];
}

export interface Storage {
  readonly dialect: 'sqlite' | 'postgres';

  // Documents: a snapshot plus an append-only log of accepted updates.
  /** The stored state (snapshot merged with the log), or null for a document never stored. */
  loadDocument(name: string): Promise<Uint8Array | null>;
  /** Durably appends one accepted update. Resolves only once it is committed. */
  appendUpdate(name: string, update: Uint8Array): Promise<void>;
  /**
   * Stores `state` as the snapshot and deletes the logged updates it already contains
   * (`contains` decides), in one transaction. Updates logged but not yet in `state` stay.
   */
  compactDocument(name: string, state: Uint8Array, contains: (update: Uint8Array) => boolean): Promise<void>;
  countLoggedUpdates(name: string): Promise<number>;

  // Users
  createUser(user: UserRow): Promise<void>;
  getUserById(id: string): Promise<UserRow | null>;
  getUserByEmail(email: string): Promise<UserRow | null>;
  listUsers(role?: Role): Promise<UserRow[]>;
  countUsers(): Promise<number>;
  /** Changes a user's role; false for an unknown user. */
  setUserRole(id: string, role: Role): Promise<boolean>;
  /**
   * Deletes a user with their sessions and notifications (one transaction); false for an
   * unknown user. Throws ConflictError while jobs name them as customer or assignee.
   */
  deleteUser(id: string): Promise<boolean>;

  // Sessions
  createSession(session: SessionRow): Promise<void>;
  getSession(id: string): Promise<{ session: SessionRow; user: UserRow } | null>;
  /** `getSession` for many ids in one query; ids with no session are absent from the map. */
  getSessions(ids: string[]): Promise<Map<string, { session: SessionRow; user: UserRow }>>;
  touchSession(id: string, lastVerifiedAt: string): Promise<void>;
  deleteSession(id: string): Promise<void>;
  deleteUserSessions(userId: string): Promise<void>;

  /** Search over the jobs read model (storage/job-search.ts). */
  readonly search: JobSearchStore<JobRow>;
  /** How long jobs stayed in each status (storage/status-history.ts). */
  readonly statusHistory: StatusHistoryStore;

  // Jobs: the read model, plus job creation (row and first document update in one transaction).
  /**
   * Gives the next job number to `build`, then stores the row it returns and the document's
   * first state (as its snapshot) atomically — with `newCustomer` and `shareLink`, the job's
   * new customer account and first share link too, so a job that fails leaves nothing behind.
   */
  createJob(
    build: (number: number) => { row: JobRow; documentName: string; update: Uint8Array },
    options?: { newCustomer?: UserRow; shareLink?: ShareLinkRow }
  ): Promise<JobRow>;
  getJob(id: string): Promise<JobRow | null>;
  listJobs(filter?: JobFilter): Promise<JobRow[]>;
  /**
   * Replaces the read-model row of an existing job (no-op for an unknown id) with the next
   * `seq`; returns the row as saved.
   */
  saveJob(row: JobRow): Promise<JobRow>;
  /** `saveJob` for several jobs, in one transaction; the saved rows in the order given. */
  saveJobs(rows: JobRow[]): Promise<JobRow[]>;
  /** The `seq` of the latest committed job-row save (0 before any). */
  lastJobSeq(): Promise<number>;

  // Share links
  createShareLink(link: ShareLinkRow): Promise<void>;
  getShareLinkByHash(tokenHash: string): Promise<ShareLinkRow | null>;
  listShareLinks(jobId: string): Promise<ShareLinkRow[]>;
  /** Marks a link revoked; false when no live link of that job has that id. */
  revokeShareLink(jobId: string, linkId: string, at: string): Promise<boolean>;

  // Notifications
  /**
   * One atomic step of the notification engine, for one or more jobs: reads each job's event
   * baseline (the facts last turned into events), lets `compute` derive what to store from it,
   * stores those notifications at most once per (user, job, event key), saves the new baseline,
   * and marks the job's open notifications that `isMoot` says are moot as resolved. Concurrent
   * calls for one job (two instances) are serialised, so each logical event is stored once.
   * One transaction for the whole batch; results in the order of `jobs`.
   */
  recordJobEvents(jobs: JobEventsInput[], at: string): Promise<JobEventsResult[]>;
  /** Newest first; or, with `afterSeq`, everything after that cursor in order (catch-up). */
  listNotifications(userId: string, options?: { afterSeq?: number; limit?: number; unreadOnly?: boolean }): Promise<NotificationRow[]>;
  countUnread(userId: string): Promise<number>;
  /**
   * Marks the user's notifications read and moves them to the end of the change order (new
   * `seq`), so other devices catching up see the change; returns the changed rows.
   */
  markRead(userId: string, which: string[] | 'all', at: string): Promise<NotificationRow[]>;
  /** Deletes read notifications read before `readBefore`; returns how many. */
  pruneNotifications(readBefore: string): Promise<number>;
  /** Names of documents with logged updates not yet folded into their snapshot. */
  documentsWithLoggedUpdates(): Promise<string[]>;

  /** A real, tiny committed write (readiness); rejects with what is wrong, within ~`waitMs`. */
  probe(waitMs: number): Promise<void>;
  /** Times a statement found SQLite locked by another process and waited (always 0 on PostgreSQL). */
  lockWaits(): number;

  close(): Promise<void>;
}
