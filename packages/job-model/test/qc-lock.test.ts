import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { readJob, readRaw } from '../src/doc.js';
import { markCollected, recordQc, setItemDone } from '../src/ops.js';
import { checkChange } from '../src/permissions.js';
import { itemsLocked } from '../src/qc-lock.js';
import { deriveStatus } from '../src/status.js';
import type { Actor, Violation } from '../src/types.js';
import { MANAGER, MECHANIC, at, jobDoc, replicaOf, send } from './helpers.js';

/** What the server decides when `actor`'s client, holding `server`'s state, writes `write`. */
function attempt(actor: Actor, server: Y.Doc, write: (doc: Y.Doc) => void): Violation[] {
  const client = replicaOf(server);
  write(client);
  const trial = replicaOf(server);
  send(client, trial);
  return checkChange(actor, readRaw(server), readRaw(trial));
}

/** A job whose four items the mechanic ticked and whose quality check passed. */
function passedJob(): Y.Doc {
  const doc = jobDoc();
  readJob(doc).items.forEach((item, i) => setItemDone(doc, item.id, true, MECHANIC.id, at(i + 1)));
  recordQc(doc, { pass: true, by: MANAGER.id, at: at(10) });
  return doc;
}
const firstId = (doc: Y.Doc) => readJob(doc).items[0]!.id;

describe('P9: items lock for mechanics once the quality check passed', () => {
  it('P9: a mechanic un-ticking an item of a passed job is refused', () => {
    const doc = passedJob();
    expect(deriveStatus(readJob(doc))).toBe('ready_for_pickup');
    expect(itemsLocked(readRaw(doc))).toBe(true);
    const violations = attempt(MECHANIC, doc, (d) => setItemDone(d, firstId(d), false, MECHANIC.id, at(11)));
    expect(violations).toContainEqual({ path: 'items', reason: expect.stringMatching(/P9/) });
  });

  it('P9: a collected job stays locked too', () => {
    const doc = passedJob();
    markCollected(doc, at(12));
    expect(attempt(MECHANIC, doc, (d) => setItemDone(d, firstId(d), false, MECHANIC.id, at(13)))).toContainEqual(
      expect.objectContaining({ path: 'items' })
    );
  });

  it('P9: before QC passed the same un-tick is allowed (waiting for QC, or after a failed QC)', () => {
    const waiting = jobDoc();
    readJob(waiting).items.forEach((item, i) => setItemDone(waiting, item.id, true, MECHANIC.id, at(i + 1)));
    expect(deriveStatus(readJob(waiting))).toBe('quality_check');
    expect(attempt(MECHANIC, waiting, (d) => setItemDone(d, firstId(d), false, MECHANIC.id, at(11)))).toEqual([]);

    const failed = passedJob();
    recordQc(failed, { pass: false, note: 'Reopened', by: MANAGER.id, at: at(20) });
    expect(itemsLocked(readRaw(failed))).toBe(false);
    expect(attempt(MECHANIC, failed, (d) => setItemDone(d, firstId(d), false, MECHANIC.id, at(21)))).toEqual([]);
  });

  it('P9: a manager reopens a passed job by recording a failing check, and may still change items', () => {
    const doc = passedJob();
    expect(attempt(MANAGER, doc, (d) => setItemDone(d, firstId(d), false, MANAGER.id, at(11)))).toEqual([]);
    expect(attempt(MANAGER, doc, (d) => recordQc(d, { pass: false, note: 'Reopened for work', by: MANAGER.id, at: at(11) }))).toEqual([]);
    recordQc(doc, { pass: false, note: 'Reopened for work', by: MANAGER.id, at: at(11) });
    expect(deriveStatus(readJob(doc))).toBe('in_progress');
  });

  it('P9: a mechanic may still add a note to a passed job', () => {
    const doc = passedJob();
    expect(
      attempt(MECHANIC, doc, (d) =>
        d.transact(() => {
          const note = new Y.Map<unknown>();
          for (const [k, v] of Object.entries({ id: 'n9', text: 'Chain waxed', authorId: MECHANIC.id, at: at(12), visibility: 'internal' })) note.set(k, v);
          d.getArray('notes').push([note]);
        })
      )
    ).toEqual([]);
  });
});
