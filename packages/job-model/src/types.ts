/**
 * The facts of a repair job, as read from its Yjs document (docs/sync.md, Shape of `job:<jobId>`).
 * Status is never stored: see `deriveStatus`.
 */

export type Role = 'manager' | 'mechanic' | 'customer';

/** Who is making a change or asking to see something. */
export interface Actor {
  id: string;
  role: Role;
}

export type JobStatus =
  | 'intake'
  | 'assigned'
  | 'in_progress'
  | 'quality_check'
  | 'stuck'
  | 'ready_for_pickup'
  | 'collected';

export const JOB_STATUSES: readonly JobStatus[] = [
  'intake',
  'assigned',
  'in_progress',
  'stuck',
  'quality_check',
  'ready_for_pickup',
  'collected'
];

export type NoteVisibility = 'internal' | 'customer';

export interface ItemFacts {
  id: string;
  title: string;
  done: boolean;
  doneBy?: string;
  doneAt?: string;
}

export interface NoteFacts {
  id: string;
  text: string;
  authorId: string;
  at: string;
  visibility: NoteVisibility;
}

export interface StuckFacts {
  open: boolean;
  reason: string;
  reportedBy: string;
  reportedAt: string;
  resolution?: string;
  resolvedBy?: string;
  resolvedAt?: string;
}

export interface QcFacts {
  pass: boolean;
  note?: string;
  by: string;
  at: string;
  /** `itemsSignature` of the items the check looked at (additive field; see SPEC rule S4). */
  itemsSig?: string;
}

export interface JobFacts {
  id: string;
  number: number;
  bike: string;
  description: string;
  customerId: string;
  customerName: string;
  /** The bike's frame serial number, '' when not recorded (SPEC S8). */
  serial: string;
  /** The customer's phone as entered at intake, '' when not recorded; staff only (S8, V1). */
  customerPhone: string;
  assigneeId: string | null;
  assignedAt?: string;
  createdAt: string;
  collectedAt?: string;
  items: ItemFacts[];
  notes: NoteFacts[];
  /** null until a stuck report was ever opened. */
  stuck: StuckFacts | null;
  /** Newest last. */
  qc: QcFacts[];
}

/**
 * Everything in a job document as plain JSON, unknown keys and roots included.
 * Permission checks compare two of these, so nothing a client writes escapes them.
 */
export interface RawJob {
  /** Names of every root type that holds content, known or not. */
  roots: string[];
  /**
   * Known roots that also hold content of the other kind (list entries in the `job` map,
   * keys in the `items` list…), and paths below the roots whose Yjs content is not what S1
   * says (a shared type, embed or formatting attribute where a plain value or an entry map
   * belongs: see well-formed.ts). No reader sees all of it, so no change may leave it there (P1).
   */
  misshapen: string[];
  job: Record<string, unknown>;
  /** In `items`, `notes` and `qc`, an entry that is not a Y.Map is wrapped as `[value]`, so it is never read as one (S2). */
  items: unknown[];
  notes: unknown[];
  stuck: Record<string, unknown>;
  qc: unknown[];
}

export interface Progress {
  done: number;
  total: number;
}

/** What a customer or share-link viewer may see (docs/product.md, Privacy). */
export interface PublicJobView {
  number: number;
  bike: string;
  status: JobStatus;
  progress: Progress;
  items: { title: string; done: boolean }[];
  notes: { text: string; at: string }[];
  createdAt: string;
  collectedAt?: string;
  updatedAt: string;
  /** What happened, as the customer may read it (SPEC T2). */
  timeline: { at: string; kind: string; text?: string }[];
}

export type JobEventKind =
  | 'assigned'
  | 'unassigned'
  | 'progress'
  | 'ready_for_qc'
  | 'stuck'
  | 'unstuck'
  | 'qc_failed'
  | 'ready_for_pickup';

/**
 * A logical event that happened between two states of a job.
 * `key` identifies the event among all events of the job: the same logical event always
 * gets the same key, whichever server computes it and however often (notification dedupe).
 */
export interface JobEvent {
  kind: JobEventKind;
  jobId: string;
  key: string;
  /** The mechanic concerned (assigned, unassigned, unstuck, qc_failed), if any. */
  mechanicId?: string;
  reason?: string;
  note?: string;
  progress?: Progress;
}

/** A change the actor's role may not make; `path` names the fact, e.g. `job.assigneeId`. */
export interface Violation {
  path: string;
  reason: string;
}
