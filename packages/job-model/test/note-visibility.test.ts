import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { readJob, readRaw } from '../src/doc.js';
import { addNote, setNoteVisibility } from '../src/ops.js';
import { checkChange } from '../src/permissions.js';
import type { Actor, NoteVisibility, Violation } from '../src/types.js';
import { publicView } from '../src/view.js';
import { MANAGER, MECHANIC, at, expectRefusedInput, jobDoc, replicaOf, send } from './helpers.js';

function attempt(actor: Actor, server: Y.Doc, write: (doc: Y.Doc) => void): Violation[] {
  const client = replicaOf(server);
  write(client);
  const trial = replicaOf(server);
  send(client, trial);
  return checkChange(actor, readRaw(server), readRaw(trial));
}

function withNote(visibility: NoteVisibility = 'customer'): Y.Doc {
  const doc = jobDoc();
  addNote(doc, { id: 'n1', text: 'Brake pads are worn', authorId: MECHANIC.id, at: at(1), visibility });
  return doc;
}

describe('setNoteVisibility (S3)', () => {
  it('hides a customer note: it leaves the public view (V1)', () => {
    const doc = withNote('customer');
    expect(publicView(readJob(doc), at(2)).notes).toHaveLength(1);
    setNoteVisibility(doc, 'n1', 'internal');
    expect(readJob(doc).notes[0]).toMatchObject({ id: 'n1', visibility: 'internal', text: 'Brake pads are worn' });
    expect(publicView(readJob(doc), at(2)).notes).toEqual([]);
    setNoteVisibility(doc, 'n1', 'customer');
    expect(publicView(readJob(doc), at(2)).notes).toHaveLength(1);
  });

  it('S3: an unknown note or visibility is refused and changes nothing', () => {
    const doc = withNote();
    expectRefusedInput(doc, () => setNoteVisibility(doc, 'nope', 'internal'), /unknown note/);
    expectRefusedInput(doc, () => setNoteVisibility(doc, 'n1', 'everyone' as NoteVisibility), /visibility/);
  });

  it('P2: a manager may hide a note; P5: a mechanic may not, not even their own', () => {
    const doc = withNote();
    expect(attempt(MANAGER, doc, (d) => setNoteVisibility(d, 'n1', 'internal'))).toEqual([]);
    expect(attempt(MECHANIC, doc, (d) => setNoteVisibility(d, 'n1', 'internal'))).toContainEqual(
      expect.objectContaining({ reason: expect.stringMatching(/P5/) })
    );
  });
});
