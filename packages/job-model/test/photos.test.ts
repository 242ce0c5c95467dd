import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { readJob, readRaw } from '../src/doc.js';
import { removeItem } from '../src/ops.js';
import { checkChange } from '../src/permissions.js';
import { canAddPhoto, photosArray, recordPhoto } from '../src/photos.js';
import type { Actor, PhotoFacts, Violation } from '../src/types.js';
import { publicView } from '../src/view.js';
import { CUSTOMER, MANAGER, MECHANIC, OTHER_MECHANIC, at, expectRefusedInput, jobDoc, replicaOf, send } from './helpers.js';

function photo(overrides: Partial<PhotoFacts> = {}): PhotoFacts {
  return { id: 'photo-0001', itemId: null, visibility: 'internal', by: MECHANIC.id, at: at(3), type: 'image/jpeg', width: 640, height: 480, ...overrides };
}

/** What Admission decides for `write` made on a replica of `server` by `actor`, as a client or as the server. */
function attempt(actor: Actor, server: Y.Doc, write: (doc: Y.Doc) => void, writer: 'client' | 'server' = 'client'): Violation[] {
  const client = replicaOf(server);
  write(client);
  const trial = replicaOf(server);
  send(client, trial);
  return checkChange(actor, readRaw(server), readRaw(trial), writer);
}

function entry(values: Record<string, unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(values)) map.set(k, v);
  return map;
}

describe('photos (S6)', () => {
  it('S6/F1: recordPhoto appends one fact that readJob reads back; a second record of the same id changes nothing', () => {
    const doc = jobDoc();
    const itemId = readJob(doc).items[0]!.id;
    expect(recordPhoto(doc, photo({ itemId, visibility: 'customer' }))).toBe(true);
    const before = Y.encodeStateVector(doc);
    expect(recordPhoto(doc, photo({ itemId, visibility: 'customer' }))).toBe(false);
    expect(Y.encodeStateVector(doc)).toEqual(before);
    expect(readJob(doc).photos).toEqual([photo({ itemId, visibility: 'customer' })]);
  });

  it('S3/S6/F2: bad input throws and changes nothing (unknown item, bad type, bad id)', () => {
    const doc = jobDoc();
    expectRefusedInput(doc, () => recordPhoto(doc, photo({ itemId: 'no-such-item' })), /unknown item/);
    expectRefusedInput(doc, () => recordPhoto(doc, photo({ type: 'image/gif' as PhotoFacts['type'] })));
    expectRefusedInput(doc, () => recordPhoto(doc, photo({ id: '../../etc' })));
    expectRefusedInput(doc, () => recordPhoto(doc, photo({ width: 0 })));
  });

  it('F2: a photo stays when its item is removed, on the job alone', () => {
    const doc = jobDoc();
    const itemId = readJob(doc).items[0]!.id;
    recordPhoto(doc, photo({ itemId, visibility: 'customer' }));
    removeItem(doc, itemId);
    expect(readJob(doc).photos.map((p) => [p.id, p.itemId])).toEqual([['photo-0001', itemId]]);
    expect(readJob(doc).items.some((i) => i.id === itemId)).toBe(false);
    expect(publicView(readJob(doc), at(9)).photos).toEqual([{ id: 'photo-0001', itemId }]);
  });

  it('S2: a malformed photo entry is skipped by readJob, never shown', () => {
    const doc = jobDoc();
    photosArray(doc).push([entry({ id: 'photo-0002', visibility: 'customer' }), entry({ ...photo({ visibility: 'customer' }) })]);
    expect(readJob(doc).photos.map((p) => p.id)).toEqual(['photo-0001']);
  });
});

describe('who writes photos (P13)', () => {
  it('P13: no client writes `photos`, a manager included: a tampered client adding, changing or removing a photo is refused', () => {
    const server = jobDoc();
    recordPhoto(server, photo());
    const add = (doc: Y.Doc) => void recordPhoto(doc, photo({ id: 'photo-0002', by: MANAGER.id }));
    for (const actor of [MANAGER, MECHANIC, CUSTOMER]) {
      expect(attempt(actor, server, add).map((v) => v.path)).toContain('photos');
    }
    const flip = (doc: Y.Doc) => (photosArray(doc).get(0) as Y.Map<unknown>).set('visibility', 'customer');
    expect(attempt(MANAGER, server, flip).map((v) => v.reason).join()).toMatch(/P13/);
    expect(attempt(MANAGER, server, (doc) => photosArray(doc).delete(0, 1)).map((v) => v.path)).toContain('photos');
  });

  it('P13: the server records a stored photo for its uploader; in someone else’s name, or changing an old one, it is refused', () => {
    const server = jobDoc();
    expect(attempt(MECHANIC, server, (doc) => void recordPhoto(doc, photo()), 'server')).toEqual([]);
    expect(attempt(MANAGER, server, (doc) => void recordPhoto(doc, photo()), 'server').map((v) => v.path)).toEqual(['photos[0].by']);
    recordPhoto(server, photo());
    const flip = (doc: Y.Doc) => (photosArray(doc).get(0) as Y.Map<unknown>).set('visibility', 'customer');
    expect(attempt(MECHANIC, server, flip, 'server').map((v) => v.path)).toEqual(['photos']);
    const duplicate = (doc: Y.Doc) => photosArray(doc).push([entry({ ...photo() })]);
    expect(attempt(MECHANIC, server, duplicate, 'server').map((v) => v.path)).toEqual(['photos[1].id']);
    const extra = (doc: Y.Doc) => photosArray(doc).push([entry({ ...photo({ id: 'photo-0003' }), gps: '52.1,4.3' })]);
    expect(attempt(MECHANIC, server, extra, 'server').map((v) => v.path)).toEqual(['photos[1].gps']);
  });

  it('P1/S1: a photo entry holding a shared type is refused even from the server', () => {
    const server = jobDoc();
    const nested = (doc: Y.Doc) => {
      const e = entry({ ...photo() });
      e.set('by', new Y.Text(MECHANIC.id));
      photosArray(doc).push([e]);
    };
    expect(attempt(MECHANIC, server, nested, 'server').map((v) => v.path)).toContain('photos[0].by');
  });
});

describe('who adds photos (P14)', () => {
  it('P14: a manager and the assigned mechanic may add photos; another mechanic and a customer may not', () => {
    expect(canAddPhoto(MANAGER, MECHANIC.id)).toBe(true);
    expect(canAddPhoto(MECHANIC, MECHANIC.id)).toBe(true);
    expect(canAddPhoto(OTHER_MECHANIC, MECHANIC.id)).toBe(false);
    expect(canAddPhoto(MECHANIC, null)).toBe(false);
    expect(canAddPhoto(CUSTOMER, MECHANIC.id)).toBe(false);
  });
});

describe('public view of photos (V1)', () => {
  it('V1: lists customer-visible photos (id, itemId) only; an internal photo, its uploader and sizes stay out', () => {
    const doc = jobDoc();
    const itemId = readJob(doc).items[1]!.id;
    recordPhoto(doc, photo({ id: 'internal-photo-1' }));
    recordPhoto(doc, photo({ id: 'customer-photo-1', itemId, visibility: 'customer' }));
    const view = publicView(readJob(doc), at(9));
    expect(view.photos).toEqual([{ id: 'customer-photo-1', itemId }]);
    const json = JSON.stringify(view);
    expect(json).not.toContain('internal-photo-1');
    expect(json).not.toContain(MECHANIC.id);
  });
});
