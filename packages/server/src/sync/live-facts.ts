/**
 * The facts of each loaded job document, kept current from what each transaction touched
 * (issue 15: work proportional to the update). A tick re-reads the item it ticked, a new note
 * adds its facts; only a transaction no fast rule covers (job-model `touchedBy`: a key of the
 * job, items added or removed, a delete other than a tick's…) makes the next reading read the
 * whole document, as `readJob` does. Same facts as `readJob(doc)`, pinned by
 * test/sync.live-facts.test.ts.
 */
import { deltaOf, factsFromRaw, readRaw, touchedBy, type JobFacts, type RawJob } from '@pitboard/job-model';
import type * as Y from 'yjs';

interface Entry {
  /** The last reading; its notes array is replaced, never changed, when notes are added. */
  facts: JobFacts | null;
  /** The raw roots behind `facts`, without notes (the facts keep those). */
  raw: RawJob | null;
  /** Changed since the last reading: entries of the fast kinds, or anything (`whole`). */
  ticked: Set<Y.Map<unknown>>;
  newNotes: Set<Y.Map<unknown>>;
  whole: boolean;
}

const NO_NOTES = { roots: [], misshapen: [], job: {}, items: [], notes: [], stuck: {}, qc: [], parts: [], clock: [], photos: [] } satisfies RawJob;

export class LiveFacts {
  private readonly entries = new WeakMap<Y.Doc, Entry>();
  /** Readings of the whole document, and patched ones (for tests and benches). */
  wholeReads = 0;
  patchedReads = 0;

  /** The document's facts now. */
  read(doc: Y.Doc): JobFacts {
    let entry = this.entries.get(doc);
    if (!entry) {
      const fresh: Entry = { facts: null, raw: null, ticked: new Set(), newNotes: new Set(), whole: true };
      // From here on every transaction is seen, so the first reading below is the last whole one needed.
      doc.on('afterTransaction', (transaction: Y.Transaction) => this.touched(fresh, transaction));
      this.entries.set(doc, (entry = fresh));
    }
    const facts = entry.whole || entry.facts === null || entry.raw === null ? this.readWhole(doc, entry) : this.patch(doc, entry, entry.facts, entry.raw);
    entry.ticked.clear();
    entry.newNotes.clear();
    entry.whole = false;
    entry.facts = facts;
    return facts;
  }

  private touched(entry: Entry, transaction: Y.Transaction) {
    if (entry.whole) return;
    const touched = touchedBy(transaction);
    if (touched.other) {
      entry.whole = true;
      entry.ticked.clear();
      entry.newNotes.clear();
      return;
    }
    for (const map of touched.ticked) entry.ticked.add(map);
    for (const map of touched.newNotes) entry.newNotes.add(map);
  }

  private readWhole(doc: Y.Doc, entry: Entry): JobFacts {
    this.wholeReads += 1;
    const raw = readRaw(doc);
    const facts = factsFromRaw(raw);
    entry.raw = { ...raw, notes: [] };
    return facts;
  }

  private patch(doc: Y.Doc, entry: Entry, previous: JobFacts, raw: RawJob): JobFacts {
    if (entry.ticked.size === 0 && entry.newNotes.size === 0) return previous;
    const delta = deltaOf(doc, { ticked: entry.ticked, newNotes: entry.newNotes, other: false });
    if (delta === null) return this.readWhole(doc, entry);
    this.patchedReads += 1;
    for (const { index, after } of delta.items) raw.items[index] = after;
    const facts = factsFromRaw(raw);
    // A new array when notes were added: facts handed out before keep theirs.
    facts.notes = delta.notes.length === 0 ? previous.notes : [...previous.notes, ...factsFromRaw({ ...NO_NOTES, notes: delta.notes }).notes];
    return facts;
  }
}
