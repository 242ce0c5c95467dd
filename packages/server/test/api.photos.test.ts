/**
 * Photos over real HTTP with real files (SPEC S6, P13, P14; docs/api.md, Photos): upload,
 * metadata stripped, type and size limits, idempotent retries, per-job budget, serving rules.
 * With TEST_DATABASE_URL the same runs on PostgreSQL, where the bytes live in the database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readJob } from '@pitboard/job-model';
import sharp from 'sharp';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIF_MARKER, GPS_LATITUDE_BYTES, contains, getBytes, phoneJpeg, pngImage, uploadPhoto } from './helpers/photos.js';
import { api, connect, createUser, startTestServer, waitFor, type TestServer, type TestUser } from './helpers/server.js';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

describe(`photos API (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestServer;
  let manager: TestUser;
  let mechanic: TestUser;
  let otherMechanic: TestUser;
  let customer: TestUser;
  let otherCustomer: TestUser;

  beforeAll(async () => {
    t = await startTestServer({ env: { JOB_MAX_PHOTOS: '3' } });
    manager = await createUser(t.pitboard, 'manager');
    mechanic = await createUser(t.pitboard, 'mechanic');
    otherMechanic = await createUser(t.pitboard, 'mechanic');
    customer = await createUser(t.pitboard, 'customer');
    otherCustomer = await createUser(t.pitboard, 'customer');
  });
  afterAll(() => t.stop());

  async function newJob(): Promise<{ id: string; itemIds: string[] }> {
    const r = await api(t.url, manager.token).post('/api/jobs', { bike: 'Kona', customerId: customer.id, items: ['Brakes', 'Chain'], mechanicId: mechanic.id });
    expect(r.status).toBe(201);
    const job = await api(t.url, manager.token).get(`/api/jobs/${r.body.id}`);
    return { id: r.body.id, itemIds: job.body.items.map((i: { id: string }) => i.id) };
  }

  const photosOf = async (jobId: string) => (await t.pitboard.jobs.facts(jobId)).photos;

  /** The bytes as stored: the file on SQLite, the row on PostgreSQL. */
  async function storedBytes(id: string, size: 'full' | 'thumb' = 'full'): Promise<Uint8Array> {
    if (onPostgres) return (await t.pitboard.storage.photos.photoData(id, size))!;
    return new Uint8Array(fs.readFileSync(path.join(t.dataDir, 'photos', `${id}.${size}`)));
  }

  it('F3: stores a phone JPEG without any EXIF: no GPS, no camera, no description — orientation applied', async () => {
    const job = await newJob();
    // Orientation 6: the camera held sideways, so the 64×48 pixels show a 48×64 picture.
    const input = await phoneJpeg({ width: 64, height: 48, orientation: 6 });
    expect(contains(input, GPS_LATITUDE_BYTES)).toBe(true);
    expect(contains(input, EXIF_MARKER)).toBe(true);
    expect((await sharp(input).metadata()).exif).toBeDefined();

    const r = await uploadPhoto(t.url, mechanic.token, job.id, input, { key: 'gps-photo-0001', query: `?itemId=${job.itemIds[0]}&visibility=customer` });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ id: 'gps-photo-0001' });

    for (const size of ['full', 'thumb'] as const) {
      const stored = await storedBytes('gps-photo-0001', size);
      expect(stored.byteLength).toBeGreaterThan(0);
      expect(contains(stored, GPS_LATITUDE_BYTES), size).toBe(false);
      expect(contains(stored, EXIF_MARKER), size).toBe(false);
      expect(contains(stored, 'Exif\0\0'), size).toBe(false);
      expect(contains(stored, 'PhoneCo'), size).toBe(false);
      const meta = await sharp(stored).metadata();
      expect(meta.exif, size).toBeUndefined();
      expect(meta.xmp, size).toBeUndefined();
      expect(meta.icc, size).toBeUndefined();
      expect(meta.orientation ?? 1, size).toBe(1);
    }
    const full = await sharp(await storedBytes('gps-photo-0001')).metadata();
    expect([full.format, full.width, full.height]).toEqual(['jpeg', 48, 64]);

    // What is served is what is stored.
    const served = await getBytes(`${t.url}/api/photos/gps-photo-0001`, manager.token);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(served.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(contains(served.bytes, GPS_LATITUDE_BYTES)).toBe(false);
    const thumb = await getBytes(`${t.url}/api/photos/gps-photo-0001?size=thumb`, mechanic.token);
    expect([thumb.status, thumb.headers.get('content-type')]).toEqual([200, 'image/webp']);

    expect(await photosOf(job.id)).toEqual([
      { id: 'gps-photo-0001', itemId: job.itemIds[0], visibility: 'customer', by: mechanic.id, at: expect.any(String), type: 'image/jpeg', width: 48, height: 64 }
    ]);
  });

  it('a large photo is stored at most 2048 px and its thumbnail at most 320 px', async () => {
    const job = await newJob();
    const big = new Uint8Array(await sharp({ create: { width: 3000, height: 1000, channels: 3, background: '#888' } }).jpeg().toBuffer());
    const r = await uploadPhoto(t.url, manager.token, job.id, big);
    expect(r.status).toBe(201);
    const full = await sharp(await storedBytes(r.body.id)).metadata();
    const thumb = await sharp(await storedBytes(r.body.id, 'thumb')).metadata();
    expect([full.width, full.height, thumb.width, thumb.height, thumb.format]).toEqual([2048, 683, 320, 107, 'webp']);
  });

  it('F1: an upload retried with the same Idempotency-Key stores one photo (201, then 200 with the same id)', async () => {
    const job = await newJob();
    const png = await pngImage();
    const first = await uploadPhoto(t.url, mechanic.token, job.id, png, { type: 'image/png', key: 'retry-photo-0001' });
    const again = await uploadPhoto(t.url, mechanic.token, job.id, png, { type: 'image/png', key: 'retry-photo-0001' });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body).toEqual({ id: 'retry-photo-0001' });
    // Two tries at once (the first one's answer was lost on the way): still one photo.
    const both = await Promise.all([1, 2].map(() => uploadPhoto(t.url, mechanic.token, job.id, png, { type: 'image/png', key: 'retry-photo-0002' })));
    expect(both.map((r) => r.status).sort()).toEqual([200, 201]);
    expect((await photosOf(job.id)).map((p) => p.id)).toEqual(['retry-photo-0001', 'retry-photo-0002']);
    expect(await t.pitboard.storage.photos.countPhotos(job.id)).toBe(2);
    // Another uploader, or another job, naming a taken id: 409, nothing stored.
    expect((await uploadPhoto(t.url, manager.token, job.id, png, { type: 'image/png', key: 'retry-photo-0001' })).status).toBe(409);
    const other = await newJob();
    expect((await uploadPhoto(t.url, mechanic.token, other.id, png, { type: 'image/png', key: 'retry-photo-0001' })).status).toBe(409);
    expect(await photosOf(other.id)).toEqual([]);
  });

  it('F3: 413 for a photo over 10 MiB, 415 for what is not JPEG, PNG or WebP — whatever the header says — and nothing is stored', async () => {
    const job = await newJob();
    const huge = new Uint8Array(10 * 1024 * 1024 + 1);
    huge.set(await phoneJpeg());
    const tooBig = await uploadPhoto(t.url, mechanic.token, job.id, huge, { key: 'too-big-0001' });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error).toMatch(/too large/);
    const gif = new Uint8Array(await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).gif().toBuffer());
    const asJpeg = await uploadPhoto(t.url, mechanic.token, job.id, gif, { type: 'image/jpeg' });
    expect(asJpeg.status).toBe(415);
    expect(asJpeg.body.error).toMatch(/JPEG, PNG or WebP/);
    expect((await uploadPhoto(t.url, mechanic.token, job.id, new TextEncoder().encode('<svg onload=alert(1)>'), { type: 'image/png' })).status).toBe(415);
    // A PNG sent as JPEG: the bytes decide, and they disagree with the header.
    expect((await uploadPhoto(t.url, mechanic.token, job.id, await pngImage(), { type: 'image/jpeg' })).status).toBe(415);
    // A JPEG header on a truncated body: a clear 400.
    const broken = (await phoneJpeg()).slice(0, 200);
    expect((await uploadPhoto(t.url, mechanic.token, job.id, broken)).status).toBe(400);
    expect((await uploadPhoto(t.url, mechanic.token, job.id, await pngImage(), { type: 'image/png', query: '?visibility=everyone' })).status).toBe(400);
    expect((await uploadPhoto(t.url, mechanic.token, job.id, await pngImage(), { type: 'image/png', query: '?itemId=nope' })).status).toBe(409);
    expect((await uploadPhoto(t.url, mechanic.token, job.id, await pngImage(), { type: 'image/png', key: '../../x' })).status).toBe(400);
    expect(await photosOf(job.id)).toEqual([]);
    expect(await t.pitboard.storage.photos.countPhotos(job.id)).toBe(0);
    if (!onPostgres) expect(fs.readdirSync(path.join(t.dataDir, 'photos')).filter((f) => f.startsWith('too-big'))).toEqual([]);
  });

  it('a job holds at most JOB_MAX_PHOTOS photos (413 beyond), yet a retry of a stored one still answers', async () => {
    const job = await newJob();
    for (let i = 1; i <= 3; i++) expect((await uploadPhoto(t.url, manager.token, job.id, await pngImage(), { type: 'image/png', key: `budget-000${i}` })).status).toBe(201);
    const fourth = await uploadPhoto(t.url, manager.token, job.id, await pngImage(), { type: 'image/png', key: 'budget-0004' });
    expect(fourth.status).toBe(413);
    expect(fourth.body.error).toMatch(/3 photos/);
    expect((await uploadPhoto(t.url, manager.token, job.id, await pngImage(), { type: 'image/png', key: 'budget-0003' })).status).toBe(200);
    expect((await photosOf(job.id)).length).toBe(3);
  });

  it('who may upload (P14): the manager and the assigned mechanic; another mechanic and a customer get 403, a stranger 401', async () => {
    const job = await newJob();
    const png = await pngImage();
    expect((await uploadPhoto(t.url, otherMechanic.token, job.id, png, { type: 'image/png' })).status).toBe(403);
    expect((await uploadPhoto(t.url, customer.token, job.id, png, { type: 'image/png' })).status).toBe(403);
    expect((await uploadPhoto(t.url, 'nonsense', job.id, png, { type: 'image/png' })).status).toBe(401);
    expect((await uploadPhoto(t.url, manager.token, 'no-such-job', png, { type: 'image/png' })).status).toBe(404);
    expect(await photosOf(job.id)).toEqual([]);
  });

  it('who may see (P14): staff who may open the job; the job’s customer only a customer-visible one; everyone else 404', async () => {
    const job = await newJob();
    const internal = await uploadPhoto(t.url, mechanic.token, job.id, await pngImage(), { type: 'image/png', key: 'seen-internal-1' });
    const shown = await uploadPhoto(t.url, mechanic.token, job.id, await pngImage(), { type: 'image/png', key: 'seen-customer-1', query: '?visibility=customer' });
    expect([internal.status, shown.status]).toEqual([201, 201]);
    const status = async (id: string, token?: string) => (await getBytes(`${t.url}/api/photos/${id}`, token)).status;
    expect(await status('seen-internal-1', manager.token)).toBe(200);
    expect(await status('seen-internal-1', mechanic.token)).toBe(200);
    expect(await status('seen-internal-1', otherMechanic.token)).toBe(404);
    expect(await status('seen-internal-1', customer.token)).toBe(404);
    expect(await status('seen-customer-1', customer.token)).toBe(200);
    expect(await status('seen-customer-1', otherCustomer.token)).toBe(404);
    expect(await status('seen-internal-1')).toBe(401);
    expect(await status('no-such-photo-1', manager.token)).toBe(404);
    expect((await getBytes(`${t.url}/api/photos/seen-internal-1?size=huge`, manager.token)).status).toBe(400);
    // Unassigned: the mechanic loses access with the job.
    expect((await api(t.url, manager.token).post(`/api/jobs/${job.id}/assign`, { mechanicId: otherMechanic.id })).status).toBe(200);
    expect(await status('seen-internal-1', mechanic.token)).toBe(404);
    expect(await status('seen-internal-1', otherMechanic.token)).toBe(200);
  });

  it('uploads in flight are bounded per uploader (429 beyond PHOTO_UPLOADS_PER_USER), others still upload', async () => {
    const job = await newJob();
    // Two uploads whose bodies keep coming (a slow phone): each holds one of the mechanic's slots.
    const streams: ReadableStreamDefaultController<Uint8Array>[] = [];
    const slow = [1, 2].map(() =>
      fetch(`${t.url}/api/jobs/${job.id}/photos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${mechanic.token}`, 'content-type': 'image/png' },
        body: new ReadableStream<Uint8Array>({ start: (c) => void streams.push(c) }),
        duplex: 'half'
      } as RequestInit)
    );
    await waitFor(() => streams.length === 2, 3000, 'both bodies started');
    streams.forEach((c) => c.enqueue(new Uint8Array([0x89, 0x50])));
    // An empty probe stores nothing either way: 400 while a slot is free, 429 once both are held.
    await waitFor(async () => (await uploadPhoto(t.url, mechanic.token, job.id, new Uint8Array(0), { type: 'image/png' })).status === 429, 3000, 'both slots held');
    const third = await uploadPhoto(t.url, mechanic.token, job.id, await pngImage(), { type: 'image/png' });
    expect(third.status).toBe(429);
    expect(third.body.error).toMatch(/at most 2 photo uploads at once/);
    // Someone else is not held up by the mechanic's slow uploads.
    expect((await uploadPhoto(t.url, manager.token, job.id, await pngImage(), { type: 'image/png' })).status).toBe(201);
    streams.forEach((c) => c.close());
    expect((await Promise.all(slow)).map((r) => r.status)).toEqual([415, 415]);
    // Slots are given back: the mechanic uploads again.
    expect((await uploadPhoto(t.url, mechanic.token, job.id, await pngImage(), { type: 'image/png' })).status).toBe(201);
  });

  it('P13: a tampered manager client writing the photos root over /collab is refused, stored nowhere', async () => {
    const job = await newJob();
    const boss = await connect(t.wsUrl, `job:${job.id}`, manager.token);
    const entry = new Y.Map<unknown>();
    for (const [k, v] of Object.entries({ id: 'forged-photo-1', itemId: null, visibility: 'customer', by: manager.id, at: new Date().toISOString(), type: 'image/jpeg', width: 10, height: 10 })) {
      entry.set(k, v);
    }
    boss.doc.getArray('photos').push([entry]);
    await waitFor(() => boss.closes.length > 0, 3000, 'the server to refuse the update');
    expect(boss.closes[0]!.why).toBe('not_allowed');
    expect(boss.closes[0]!.reason).toMatch(/photos/);
    boss.close();
    expect(await photosOf(job.id)).toEqual([]);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, (await t.pitboard.storage.loadDocument(`job:${job.id}`))!);
    expect(readJob(stored).photos).toEqual([]);
  });
});
