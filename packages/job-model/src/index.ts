/** @pitboard/job-model — the repair job as a Yjs document (see SPEC.md for the numbered rules). */
export * from './types.js';
export { JobModelError } from './errors.js';
export { KNOWN_ROOTS, clockArray, factsFromRaw, itemsArray, jobMap, notesArray, partsArray, qcArray, readJob, readRaw, stuckMap } from './doc.js';
export { awaitedParts, markPartArrived, orderPart, partsExpectation } from './parts.js';
export {
  MAX_SESSIONS,
  OPEN_SESSION_CAP_MS,
  clockedMsByMechanic,
  clockedSeconds,
  compactClock,
  isClockRunning,
  startClock,
  stopClock,
  type ClockSpan
} from './clock.js';
export { isOverdue, setPromisedAt } from './promised.js';
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
export {
  addPricedItem,
  approvalLines,
  checkPrice,
  decideApproval,
  decisionConflict,
  editItem,
  formatMoney,
  isCountable,
  isPending,
  isTickable,
  proposeItem,
  shownPrice,
  shownTitle,
  totalOf,
  type Decision
} from './approvals.js';
export { itemsLocked } from './qc-lock.js';
export { touchedBy, type Touched } from './touched.js';
export { applyDelta, deltaCheckable, deltaOf, mechanicDeltaViolations, type JobDelta } from './delta-check.js';
export { deriveEvents, isEventMoot, mootFingerprint, overdueKey } from './events.js';
export { publicView } from './view.js';
export { PHOTO_ID, PHOTO_TYPES, canAddPhoto, photosArray, recordPhoto } from './photos.js';
export { TIMELINE_SOURCES, jobTimeline, publicTimeline, type PublicTimelineEntry, type TimelineEntry, type TimelineSource } from './timeline.js';
export { checkPhone, checkSerial, phoneDigits, serialKey } from './intake.js';
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
