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

/**
 * The server recording a customer's decision made through a share link (P12). Never a user's
 * role: no session carries it; `id` is the share link's id.
 */
export interface ShareLinkActor {
  id: string;
  role: 'share_link';
}

/** Whoever writes to a job document: a signed-in user, or the server acting for a share link. */
export type Writer = Actor | ShareLinkActor;

export type JobStatus =
  | 'intake'
  | 'assigned'
  | 'in_progress'
  | 'quality_check'
  | 'stuck'
  | 'awaiting_approval'
  | 'waiting_for_parts'
  | 'ready_for_pickup'
  | 'collected';

export const JOB_STATUSES: readonly JobStatus[] = [
  'intake',
  'assigned',
  'in_progress',
  'stuck',
  'awaiting_approval',
  'waiting_for_parts',
  'quality_check',
  'ready_for_pickup',
  'collected'
];

export type NoteVisibility = 'internal' | 'customer';

/** A line that needs the customer's approval (SPEC S5, A1–A6). */
export type ApprovalState = 'pending' | 'approved' | 'declined';

export interface ItemFacts {
  id: string;
  title: string;
  done: boolean;
  doneBy?: string;
  doneAt?: string;
  /** Integer minor units (cents) of the workshop's currency (S5). */
  price?: number;
  /** Present only on a line that needs the customer's approval (S5). */
  approval?: ApprovalState;
  reason?: string;
  proposedBy?: string;
  proposedAt?: string;
  /** On decision (the server for the customer, P12): when, through which share link, and exactly what was shown. */
  decidedAt?: string;
  decidedVia?: string;
  decidedTitle?: string;
  decidedPrice?: number;
}

export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

/** A stored photo (SPEC S6). Its bytes live on the server, outside the document. */
export interface PhotoFacts {
  id: string;
  /** The item the photo shows, or null for the job as a whole. */
  itemId: string | null;
  visibility: NoteVisibility;
  /** Who uploaded it. */
  by: string;
  at: string;
  /** Type of the stored (re-encoded) image. */
  type: PhotoType;
  width: number;
  height: number;
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

/** A part ordered for the job (SPEC S7, section W). */
export interface PartFacts {
  id: string;
  name: string;
  expectedAt: string | null;
  orderedBy: string;
  orderedAt: string;
  arrivedAt: string | null;
  arrivedBy: string | null;
}

/** One clocked work session of a mechanic (SPEC S7, section C); `stoppedAt` null while running. */
export interface ClockFacts {
  id: string;
  mechanicId: string;
  startedAt: string;
  stoppedAt: string | null;
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
  /** When the workshop promised the bike back (S7, P17); absent when no promise was made. */
  promisedAt?: string;
  items: ItemFacts[];
  notes: NoteFacts[];
  /** null until a stuck report was ever opened. */
  stuck: StuckFacts | null;
  /** Newest last. */
  qc: QcFacts[];
  /** Parts ordered (W1), in the order recorded. */
  parts: PartFacts[];
  /** Clocked work sessions (C1), in the order started. */
  clock: ClockFacts[];
  /** Stored photos, oldest first (SPEC S6). */
  photos: PhotoFacts[];
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
  parts: unknown[];
  clock: unknown[];
  photos: unknown[];
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
  /** Lines that need (or needed) the customer's approval, in item order (V2). */
  approvals: PublicApproval[];
  /** Sum of the prices of the lines not declined, in cents (A5). */
  total: number;
  /** Customer-visible photos only (V1). */
  photos: { id: string; itemId: string | null }[];
  createdAt: string;
  collectedAt?: string;
  updatedAt: string;
  /** S7: when the bike was promised back, or null. */
  promisedAt: string | null;
  /** W4: a part is awaited; `expectedAt` the latest expected date among those (null when any has none). */
  waitingForPart: { expectedAt: string | null } | null;
  /** What happened, as the customer may read it (SPEC T2). */
  timeline: { at: string; kind: string; text?: string; price?: number }[];
}

/** An approval line as the customer sees it (V2). `photoIds`: customer-visible photos of the line (photos fill it). */
export interface PublicApproval {
  itemId: string;
  title: string;
  price: number;
  reason: string;
  state: ApprovalState;
  decidedAt?: string;
  photoIds: string[];
}

export type JobEventKind =
  | 'assigned'
  | 'unassigned'
  | 'progress'
  | 'ready_for_qc'
  | 'stuck'
  | 'unstuck'
  | 'qc_failed'
  | 'ready_for_pickup'
  | 'parts_arrived'
  | 'overdue'
  | 'approval_requested'
  | 'approval_decided';

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
  /** The item concerned (approval_requested, approval_decided). */
  itemId?: string;
}

/** A change the actor's role may not make; `path` names the fact, e.g. `job.assigneeId`. */
export interface Violation {
  path: string;
  reason: string;
}
