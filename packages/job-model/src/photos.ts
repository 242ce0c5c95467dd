/**
 * Photos of a job (SPEC S6, P13–P14, V1). The bytes live on the server, outside the document;
 * the document holds one fact per stored photo, written by the server for the uploader once
 * the bytes are stored, so a document never names a photo the server does not have.
 */
import * as Y from 'yjs';
import { JobModelError } from './errors.js';
import { entryViolations, isRecord, type Fields } from './schema.js';
import type { Actor, PhotoFacts, PhotoType, RawJob, Violation, Writer } from './types.js';

export const PHOTO_TYPES: readonly PhotoType[] = ['image/jpeg', 'image/png', 'image/webp'];

/** A photo id: what a client may pick (a UUID, say) and a file name may hold. */
export const PHOTO_ID = /^[A-Za-z0-9_-]{8,64}$/;

export const photosArray = (doc: Y.Doc): Y.Array<unknown> => doc.getArray('photos');

const positiveInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v > 0;

export const PHOTO_FIELDS: Fields = {
  id: { required: true, expected: 'a photo id', accepts: (v) => typeof v === 'string' && PHOTO_ID.test(v) },
  itemId: { required: true, expected: 'a string or null', accepts: (v) => typeof v === 'string' || v === null },
  visibility: { required: true, expected: "'internal' or 'customer'", accepts: (v) => v === 'internal' || v === 'customer' },
  by: { required: true, expected: 'a string', accepts: (v) => typeof v === 'string' && v !== '' },
  at: { required: true, expected: 'a string', accepts: (v) => typeof v === 'string' },
  type: { required: true, expected: PHOTO_TYPES.join(', '), accepts: (v) => (PHOTO_TYPES as readonly unknown[]).includes(v) },
  width: { required: true, expected: 'a positive integer', accepts: positiveInt },
  height: { required: true, expected: 'a positive integer', accepts: positiveInt }
};

/** S2: typed photos from raw entries; a malformed one is skipped, never shown to a customer. */
export function photosFromRaw(raw: unknown[]): PhotoFacts[] {
  return raw.filter((entry, i) => entryViolations(`photos[${i}]`, entry, PHOTO_FIELDS).length === 0) as unknown as PhotoFacts[];
}

/**
 * Records a stored photo (S3, S6). Idempotent: a photo already recorded is left as it is and
 * `false` returned, so a retried upload never adds it twice.
 */
export function recordPhoto(doc: Y.Doc, photo: PhotoFacts): boolean {
  const violations = entryViolations('photo', { ...photo }, PHOTO_FIELDS);
  if (violations.length > 0) throw new JobModelError(`${violations[0]!.path}: ${violations[0]!.reason}`);
  if (typeof doc.getMap('job').get('id') !== 'string') throw new JobModelError('this document holds no job');
  const photos = photosArray(doc);
  if (photos.toArray().some((e) => e instanceof Y.Map && e.get('id') === photo.id)) return false;
  if (photo.itemId !== null) {
    const known = doc
      .getArray('items')
      .toArray()
      .some((e) => e instanceof Y.Map && e.get('id') === photo.itemId);
    if (!known) throw new JobModelError(`unknown item ${photo.itemId}`);
  }
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    for (const key of Object.keys(PHOTO_FIELDS)) entry.set(key, photo[key as keyof PhotoFacts]);
    photos.push([entry]);
  });
  return true;
}

/**
 * Who writes `photos` (P13): no client, whatever its role — only the server, after it stored
 * the bytes, acting for the uploader (`server`). Its write only appends well-formed photos in
 * the uploader's name with new ids; existing photos stay unchanged and in order.
 */
export function photoViolations(actor: Writer, before: RawJob, after: RawJob, server: boolean): Violation[] {
  const same = before.photos.length === after.photos.length && before.photos.every((p, i) => sameJson(p, after.photos[i]));
  if (same) return [];
  if (!server) return [{ path: 'photos', reason: 'only the server records photos, after storing the upload (P13)' }];
  const kept = before.photos.every((p, i) => sameJson(p, after.photos[i]));
  if (!kept) return [{ path: 'photos', reason: 'recorded photos stay unchanged and in order (P13)' }];
  const ids = new Set(before.photos.map((p) => (isRecord(p) ? p.id : undefined)));
  return after.photos.slice(before.photos.length).flatMap((photo, n) => {
    const path = `photos[${before.photos.length + n}]`;
    const violations = entryViolations(path, photo, PHOTO_FIELDS);
    if (!isRecord(photo)) return violations;
    if (photo.by !== actor.id) violations.push({ path: `${path}.by`, reason: 'a photo is recorded in its uploader’s name (P13)' });
    if (ids.has(photo.id)) violations.push({ path: `${path}.id`, reason: 'duplicate photo id' });
    ids.add(photo.id);
    return violations;
  });
}

/** P14: who may add a photo to a job — whoever may write it (P8); a customer never. */
export function canAddPhoto(actor: Actor, assigneeId: string | null): boolean {
  return actor.role === 'manager' || (actor.role === 'mechanic' && assigneeId === actor.id);
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
