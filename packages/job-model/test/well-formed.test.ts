/**
 * S1/P1 at every depth: a value of the wrong Yjs type is refused even where its JSON looks
 * right (a Y.Text reads as its string, without its embeds or formatting), and content no JSON
 * reading shows (a map's list items, a formatting item in a list) is refused too.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { itemsArray, jobMap, notesArray, readJob, readRaw, stuckMap } from '../src/doc.js';
import { addItem, addNote, assignMechanic, markCollected, recordQc, removeItem, reportStuck, resolveStuck, setItemDone, updateDetails } from '../src/ops.js';
import { checkChange } from '../src/permissions.js';
import type { Actor, Violation } from '../src/types.js';
import { illFormedPaths } from '../src/well-formed.js';
import { MANAGER, MECHANIC, at, jobDoc, replicaOf, send } from './helpers.js';

type Write = (doc: Y.Doc) => void;

function attempt(actor: Actor, server: Y.Doc, write: Write): Violation[] {
  const client = replicaOf(server);
  write(client);
  const trial = replicaOf(server);
  send(client, trial);
  return checkChange(actor, readRaw(server), readRaw(trial));
}

const BLOB = 'x'.repeat(50_000);

/** A note as the mechanic's own client would add it, but with `text` as given. */
function noteWithText(text: unknown): Y.Map<unknown> {
  const note = new Y.Map<unknown>();
  for (const [k, v] of Object.entries({ id: 'n-evil', authorId: MECHANIC.id, at: at(5), visibility: 'internal' })) note.set(k, v);
  note.set('text', text);
  return note;
}

/** Inserts a raw Yjs item with `content` into `parent` (list content when `key` is null), as a crafted update would. */
function integrate(doc: Y.Doc, parent: Y.Map<unknown> | Y.Array<unknown>, key: string | null, content: Y.ContentAny | Y.ContentFormat) {
  doc.transact((tr) => {
    const id = Y.createID(doc.clientID, Y.getState(doc.store, doc.clientID));
    // At the list's start, or as a key's first (so current) value.
    const right = key === null ? parent._start : null;
    const item = new Y.Item(id, null, null, right, right?.id ?? null, parent, key, content);
    item.integrate(tr, 0);
  });
}

describe('S1/P1: every value has the Yjs type SPEC S1 says, at every depth', () => {
  it('S1: a note text that is a Y.Text holding an embedded Y.Map is refused, though it reads as a plain string', () => {
    const write: Write = (d) => {
      const text = new Y.Text();
      notesArray(d).push([noteWithText(text)]);
      text.insert(0, 'Pads worn');
      const embed = new Y.Map<unknown>();
      text.insertEmbed(9, embed);
      embed.set('blob', BLOB);
    };
    // What the old check saw: a well-formed note.
    const client = replicaOf(jobDoc());
    write(client);
    expect(readJob(client).notes[0]!.text).toBe('Pads worn');
    expect(attempt(MECHANIC, jobDoc(), write)).toContainEqual({ path: 'notes[0].text', reason: expect.stringMatching(/P1/) });
    expect(attempt(MANAGER, jobDoc(), write)).toContainEqual({ path: 'notes[0].text', reason: expect.stringMatching(/P1/) });
  });

  it('S1: a note text that is a Y.Text with formatting attributes is refused', () => {
    const write: Write = (d) => {
      const text = new Y.Text();
      notesArray(d).push([noteWithText(text)]);
      text.insert(0, 'Pads worn', { hidden: BLOB });
    };
    expect(attempt(MECHANIC, jobDoc(), write).map((v) => v.path)).toContain('notes[0].text');
  });

  it.each<[string, Write, string]>([
    ['job.bike as a Y.Text', (d) => jobMap(d).set('bike', new Y.Text('Kona')), 'job.bike'],
    ['an item title as a Y.Map', (d) => (itemsArray(d).get(0) as Y.Map<unknown>).set('title', new Y.Map()), 'items[0].title'],
    ['an item field as a Y.Array', (d) => (itemsArray(d).get(1) as Y.Map<unknown>).set('doneAt', Y.Array.from([BLOB])), 'items[1].doneAt'],
    ['a stuck reason as a sub-document', (d) => stuckMap(d).set('reason', new Y.Doc()), 'stuck.reason'],
    ['an unknown key holding a Y.Map', (d) => jobMap(d).set('extra', new Y.Map()), 'job.extra'],
    ['an item that is a Y.Text', (d) => itemsArray(d).push([new Y.Text('Brakes')]), 'items[4]']
  ])('P1: a manager writing %s is refused', (_what, write, path) => {
    expect(attempt(MANAGER, jobDoc(), write)).toContainEqual({ path, reason: expect.stringMatching(/P1/) });
  });

  it('S1: list content hidden inside a note map is refused', () => {
    const doc = jobDoc();
    addNote(doc, { id: 'n1', text: 'ok', authorId: MECHANIC.id, at: at(1), visibility: 'internal' });
    const write: Write = (d) => integrate(d, notesArray(d).get(0) as Y.Map<unknown>, null, new Y.ContentAny([BLOB]));
    // JSON shows nothing: the note reads the same.
    const client = replicaOf(doc);
    write(client);
    expect(readJob(client).notes).toEqual(readJob(doc).notes);
    expect(attempt(MECHANIC, doc, write).map((v) => v.path)).toContain('notes[0]');
  });

  it('S1: a formatting item in the notes list is refused', () => {
    const write: Write = (d) => integrate(d, notesArray(d), null, new Y.ContentFormat(BLOB, true));
    const client = replicaOf(jobDoc());
    write(client);
    expect(notesArray(client).length).toBe(0); // invisible to any reader
    expect(attempt(MECHANIC, jobDoc(), write).map((v) => v.path)).toContain('notes[0] (formatting)');
  });

  it('S1: a key of the job map holding a formatting item is refused (it reads as absent)', () => {
    const write: Write = (d) => integrate(d, jobMap(d), 'collectedAt', new Y.ContentFormat('x', BLOB));
    const client = replicaOf(jobDoc());
    write(client);
    expect(readJob(client).collectedAt).toBeUndefined();
    expect(attempt(MANAGER, jobDoc(), write).map((v) => v.path)).toContain('job.collectedAt');
  });

  it('S1: everything the operations write is well-formed', () => {
    const doc = jobDoc();
    const item = readJob(doc).items[0]!.id;
    setItemDone(doc, item, true, MECHANIC.id, at(1));
    addNote(doc, { id: 'n1', text: 'Pads', authorId: MECHANIC.id, at: at(2), visibility: 'customer' });
    reportStuck(doc, { reason: 'No pads', by: MECHANIC.id, at: at(3) });
    resolveStuck(doc, { resolution: 'Ordered', by: MANAGER.id, at: at(4) });
    addItem(doc, 'Tyres');
    removeItem(doc, readJob(doc).items[1]!.id);
    updateDetails(doc, { bike: 'Kona Rove', description: 'Winter service' });
    assignMechanic(doc, 'ana', at(5));
    recordQc(doc, { pass: false, note: 'Chain', by: MANAGER.id, at: at(6) });
    markCollected(doc, at(7));
    expect(illFormedPaths(doc)).toEqual([]);
    expect(illFormedPaths(replicaOf(doc))).toEqual([]);
  });
});
