/**
 * A replica's local edits the server does not have yet, by the Yjs clock each reached: the
 * exact pending count. `queued` are the ones not written to IndexedDB yet (the replica takes
 * them for its next write).
 */
import type { EditRecord } from '../db';

export class PendingEdits {
  private edits: EditRecord[] = [];
  private queued: EditRecord[] = [];

  get count(): number {
    return this.edits.length;
  }

  /** The edits stored on the device (already written). */
  load(stored: EditRecord[]): void {
    this.edits = stored;
  }

  has(client: number, clock: number): boolean {
    return this.edits.some((e) => e.client === client && e.clock === clock);
  }

  /** A new edit: pending, and queued for writing. */
  add(edit: EditRecord): void {
    this.edits.push(edit);
    this.queued.push(edit);
  }

  /** The edits to write now (the queue empties). */
  takeQueued(): EditRecord[] {
    return this.queued.splice(0);
  }

  /**
   * The edits the server's state vector covers leave the ledger (and the write queue: an edit
   * confirmed before it was written need not be written). Returns them.
   */
  confirm(sv: Map<number, number>): EditRecord[] {
    const confirmed: EditRecord[] = [];
    const remaining: EditRecord[] = [];
    for (const e of this.edits) ((sv.get(e.client) ?? 0) >= e.clock ? confirmed : remaining).push(e);
    this.edits = remaining;
    if (confirmed.length) {
      const done = new Set(confirmed);
      this.queued = this.queued.filter((e) => !done.has(e));
    }
    return confirmed;
  }

  /** A discard: nothing is pending, nothing more is written. */
  clear(): void {
    this.edits = [];
    this.queued = [];
  }
}
