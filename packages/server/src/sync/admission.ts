/**
 * The single gate every write to a job document passes, from a client (via the Gatekeeper
 * extension) or from the server itself (API writes): the update is tried on a shadow of the
 * document, checked against the permission rules of the job model, and appended durably to
 * the update log — all before the live document, the acknowledgement or any broadcast sees it.
 *
 * The shadow is a second copy of each loaded job document, kept one step ahead of the live one:
 * it holds everything admitted, including updates Hocuspocus has not applied yet, so a check
 * never blames one writer for another's change. Trying an update on it costs only that update
 * (copying the document per update was most of the server's time per edit). A refused, malformed
 * or unstored update makes the shadow wrong: it is rebuilt from the live document.
 *
 * Judging an update costs what it touched, not the document (issue 15): the structs it added
 * and the items it deleted say which paths it wrote (job-model `touchedBy`). When those are
 * only a mechanic's ticks of existing items and notes appended (`deltaOf`), they are checked
 * alone against the cached state before it (`mechanicDeltaViolations`: P4, P5, P9, the notes
 * budget) and that cached state is patched. Any other path — a key of `job`, an item added or
 * removed, a delete other than a tick's, an unknown root, a shared type, a manager's edit —
 * is judged as before: the whole shadow read and `checkChange` on the two whole states.
 */
import {
  applyDelta,
  checkChange,
  deltaCheckable,
  deltaOf,
  mechanicDeltaViolations,
  readRaw,
  touchedBy,
  type Writer,
  type JobDelta,
  type RawJob,
  type Touched,
  type Violation
} from '@pitboard/job-model';
import * as Y from 'yjs';
import { hasRole, jobDocumentRefusal } from '../auth/access.js';
import { ForbiddenError, refusal } from '../errors.js';
import type { Metrics } from '../metrics.js';
import type { Storage } from '../storage/index.js';
import { isEmptyUpdate } from './clone.js';
import { checkCounts, checkNoteCount, insertsContent, sizeError, type JobBudget } from './job-budget.js';

const UNLIMITED: JobBudget = { maxNotes: Infinity, maxItems: Infinity, maxBytes: Infinity };

/** How long an admitted update is kept for rebuilds: Hocuspocus applies it within a few ticks. */
const IN_FLIGHT_MS = 2000;
const MIRROR = Symbol('pitboard-mirror');

/** How an update is judged: on what it touched when that is a delta the judge covers, else whole. */
interface Judge {
  /** The whole state before and after; throws to refuse. */
  whole(before: RawJob, after: RawJob): void;
  /** The state before and the delta; true when judged (throws to refuse), false to judge it whole. */
  delta(before: RawJob, delta: JobDelta): boolean;
}

function refuseIf(violations: Violation[]): void {
  if (violations.length === 0) return;
  const first = violations[0]!;
  throw new ForbiddenError(`not allowed to change ${first.path}: ${first.reason}`, 'not_allowed');
}

class Shadow {
  doc: Y.Doc;
  /** readRaw(doc), or null when the document changed since it was read. */
  private raw: RawJob | null = null;
  /** Admitted updates the live document may not have yet (re-applied on a rebuild). */
  private readonly inFlight = new Set<Uint8Array>();
  /**
   * The document's encoded size, or more: exact after a build or a measure, then grown by each
   * update's length (an update never adds more than its own bytes). Measuring exactly costs a
   * full encode, so it is done only when this bound says the budget may be exceeded.
   */
  private bytesAtMost = 0;

  constructor(private readonly live: Y.Doc) {
    this.doc = this.build();
    // Whatever reaches the live document reaches the shadow (a no-op for admitted updates).
    live.on('update', (update: Uint8Array) => {
      Y.applyUpdate(this.doc, update, MIRROR);
      this.bytesAtMost += update.byteLength;
    });
    live.once('destroy', () => this.doc.destroy());
  }

  private build(): Y.Doc {
    const state = Y.encodeStateAsUpdate(this.live);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    this.bytesAtMost = state.byteLength;
    for (const update of this.inFlight) {
      Y.applyUpdate(doc, update);
      this.bytesAtMost += update.byteLength;
    }
    doc.on('update', (_u: Uint8Array, origin: unknown) => {
      if (origin === MIRROR) this.raw = null;
    });
    return doc;
  }

  current(): RawJob {
    return (this.raw ??= readRaw(this.doc));
  }

  /** Applies `update` and judges it; throws to refuse (the shadow is then rebuilt). */
  tryUpdate(update: Uint8Array, judge: Judge, maxBytes = Infinity): void {
    const before = this.current();
    let touched: Touched | null = null;
    // One transaction per applied update; were there more, none of them is judged on its own.
    const listen = (transaction: Y.Transaction) => (touched = touched === null ? touchedBy(transaction) : { ...touched, other: true });
    try {
      this.doc.on('afterTransaction', listen);
      try {
        Y.applyUpdate(this.doc, update);
      } catch {
        throw refusal('malformed_update');
      } finally {
        this.doc.off('afterTransaction', listen);
      }
      // An update whose dependencies the server lacks would be applied later, unchecked.
      if (this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null) {
        throw refusal('missing_dependency');
      }
      this.bytesAtMost += update.byteLength;
      if (this.bytesAtMost > maxBytes) {
        this.bytesAtMost = Y.encodeStateAsUpdate(this.doc).byteLength;
        // Over the budget, only changes that insert nothing (deletions) pass.
        if (this.bytesAtMost > maxBytes && insertsContent(update)) throw sizeError(maxBytes);
      }
      const delta = touched !== null && deltaCheckable(before) ? deltaOf(this.doc, touched) : null;
      if (delta !== null && judge.delta(before, delta)) {
        applyDelta(before, delta);
        this.raw = before;
      } else {
        const after = readRaw(this.doc);
        judge.whole(before, after);
        this.raw = after;
      }
      this.inFlight.add(update);
      setTimeout(() => this.inFlight.delete(update), IN_FLIGHT_MS).unref();
    } catch (error) {
      this.rebuild();
      throw error;
    }
  }

  /** Forgets an admitted update that was not stored after all. */
  drop(update: Uint8Array): void {
    this.inFlight.delete(update);
    this.rebuild();
  }

  private rebuild() {
    this.doc.destroy();
    this.doc = this.build();
    this.raw = null;
  }
}

export class Admission {
  private readonly shadows = new WeakMap<Y.Doc, Shadow>();
  /** Updates judged on the whole document, and on what they touched only (for tests and benches). */
  judgedWhole = 0;
  judgedDelta = 0;

  constructor(
    private readonly storage: Storage,
    private readonly metrics?: Metrics,
    private readonly budget: JobBudget = UNLIMITED
  ) {}

  /** `writer: 'server'` only for the server's own record of a photo it stored for `actor` (SPEC P13). */
  async admit(doc: Y.Doc & { name: string }, actor: Writer, update: Uint8Array, writer: 'client' | 'server' = 'client'): Promise<void> {
    if (isEmptyUpdate(update)) return;
    if (hasRole(actor, 'customer')) throw new ForbiddenError('customers cannot change jobs', 'customer');
    const shadow = this.shadowOf(doc);
    const assignee = shadow.current().job.assigneeId;
    if (jobDocumentRefusal(actor, typeof assignee === 'string' ? assignee : null)) throw refusal('not_assigned');
    // Synchronous up to the append, so the next update is checked against this one's result.
    shadow.tryUpdate(
      update,
      {
        whole: (before, after) => {
          this.judgedWhole += 1;
          refuseIf(checkChange(actor, before, after, writer));
          checkCounts(this.budget, before, after);
        },
        delta: (before, delta) => {
          if (actor.role !== 'mechanic' || writer !== 'client') return false; // a manager's edit is judged whole (P2: the shape of everything)
          this.judgedDelta += 1;
          refuseIf(mechanicDeltaViolations(actor.id, before, delta));
          checkNoteCount(this.budget, before, delta);
          return true;
        }
      },
      this.budget.maxBytes
    );
    const started = performance.now();
    try {
      await this.storage.appendUpdate(doc.name, update);
    } catch (error) {
      shadow.drop(update);
      throw error;
    }
    this.metrics?.storageWriteSeconds.observe(performance.now() - started);
  }

  private shadowOf(doc: Y.Doc): Shadow {
    let shadow = this.shadows.get(doc);
    if (!shadow) {
      shadow = new Shadow(doc);
      this.shadows.set(doc, shadow);
    }
    return shadow;
  }
}
