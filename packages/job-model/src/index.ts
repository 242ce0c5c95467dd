/** @pitboard/job-model — the repair job as a Yjs document (see SPEC.md for the numbered rules). */
export * from './types.js';
export { JobModelError } from './errors.js';
export { KNOWN_ROOTS, factsFromRaw, itemsArray, jobMap, notesArray, qcArray, readJob, readRaw, stuckMap } from './doc.js';
export { LIMITS } from './schema.js';
export {
  addItem,
  addNote,
  assignMechanic,
  createJob,
  markCollected,
  newId,
  recordQc,
  removeItem,
  reportStuck,
  resolveStuck,
  setItemDone,
  setNoteVisibility,
  updateDetails,
  type NewJobInit
} from './ops.js';
export { deriveStatus, isQcFresh, itemsSignature, progressOf } from './status.js';
export { canOpenJob, checkChange } from './permissions.js';
export { itemsLocked } from './qc-lock.js';
export { touchedBy, type Touched } from './touched.js';
export { applyDelta, deltaCheckable, deltaOf, mechanicDeltaViolations, type JobDelta } from './delta-check.js';
export { deriveEvents, isEventMoot, mootFingerprint } from './events.js';
export { publicView } from './view.js';
export type { InboxMessage, InboxRequest, JobSummary, NotificationMessage } from './inbox.js';
export type { ManagerStats, MechanicStats } from './stats.js';
export {
  CLOSE_REASONS,
  PROTOCOL_VERSION,
  closeEvent,
  encodeCloseReason,
  isCloseReasonCode,
  parseCloseReason,
  type CloseReason,
  type CloseReasonCode
} from './protocol.js';
