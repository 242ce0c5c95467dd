/**
 * Photos of jobs: upload (checked, re-encoded without metadata, stored, then recorded in the
 * job document by the server for the uploader — SPEC S6, P13, P14) and serving by the rules of
 * P14. Idempotent: the client names the photo (`Idempotency-Key`), and the same name again
 * from the same uploader for the same job answers with the photo already stored.
 */
import { PHOTO_ID, canAddPhoto, canOpenJob, recordPhoto, type Actor, type PhotoFacts } from '@pitboard/job-model';
import { randomUUID } from 'node:crypto';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, TooLargeError } from '../errors.js';
import { readLimitedBody } from '../http/body.js';
import type { JobService } from '../jobs/job-service.js';
import type { PhotoRow, PhotoSize, Storage } from '../storage/index.js';
import type { PhotoBytes } from './photo-bytes.js';
import { processPhoto, THUMB_TYPE } from './photo-image.js';
import type { UploadSlots } from './upload-slots.js';

export interface PhotoLimits {
  /** `PHOTO_MAX_BYTES`: largest upload body. */
  maxBytes: number;
  /** `JOB_MAX_PHOTOS`: photos one job may hold. */
  maxPerJob: number;
}

export interface PhotoUpload {
  jobId: string;
  itemId: string | null;
  visibility: 'internal' | 'customer';
  /** The client's name for the photo (Idempotency-Key), or null to let the server pick one. */
  id: string | null;
  request: Request;
}

export interface ServedPhoto {
  bytes: Uint8Array;
  type: string;
}

const notFound = () => new NotFoundError('no such photo');

export class PhotoService {
  constructor(
    private readonly storage: Storage,
    private readonly jobs: JobService,
    private readonly bytes: PhotoBytes,
    private readonly slots: UploadSlots,
    private readonly limits: PhotoLimits
  ) {}

  /** Stores the photo and records it; `created` false when this upload was a retry of a stored one. */
  async upload(actor: Actor, input: PhotoUpload): Promise<{ id: string; created: boolean }> {
    if (input.id !== null && !PHOTO_ID.test(input.id)) {
      throw new BadRequestError('Idempotency-Key must be 8 to 64 letters, digits, "-" or "_" (a UUID, say)');
    }
    const id = input.id ?? randomUUID();
    const job = await this.jobs.requireJob(input.jobId);
    if (!canAddPhoto(actor, job.assigneeId)) {
      throw new ForbiddenError(actor.role === 'customer' ? 'customers cannot add photos' : 'this job is not assigned to you');
    }
    // A retry of a stored upload: answer without reading or storing anything again.
    const existing = await this.storage.photos.getPhoto(id);
    if (existing) return { id: await this.retried(actor, existing, input.jobId), created: false };
    const facts = await this.jobs.facts(job.id);
    // 409, not 400: a photo taken offline of an item proposed offline can arrive before the
    // document change that adds the item; the phone's queue tries again later (docs/api.md).
    if (input.itemId !== null && !facts.items.some((i) => i.id === input.itemId)) {
      throw new ConflictError('itemId is not an item of this job (yet): the change that adds it may still be on its way');
    }
    if ((await this.storage.photos.countPhotos(job.id)) >= this.limits.maxPerJob) {
      throw new TooLargeError(`this job already has ${this.limits.maxPerJob} photos, the most it may hold`);
    }
    const release = this.slots.take(actor.id);
    let photo: PhotoFacts;
    try {
      const body = await readLimitedBody(input.request, this.limits.maxBytes);
      if (body.byteLength === 0) throw new BadRequestError('the request has no photo in its body');
      const declared = input.request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() || null;
      const image = await processPhoto(body, declared);
      photo = {
        id,
        itemId: input.itemId,
        visibility: input.visibility,
        by: actor.id,
        at: new Date().toISOString(),
        type: image.type,
        width: image.width,
        height: image.height
      };
      // Bytes first, then the row that names them, then the document fact that names the row.
      await this.bytes.put(id, image.full, image.thumb);
      const row: PhotoRow = { ...photo, jobId: job.id, uploadedBy: actor.id, bytes: image.full.byteLength, createdAt: photo.at };
      const inserted = await this.storage.photos.insertPhoto(row, this.bytes.inRow ? { full: image.full, thumb: image.thumb } : undefined);
      if (!inserted) {
        // Two tries of one upload crossed: the other one stored it.
        const other = await this.storage.photos.getPhoto(id);
        if (!other) throw new ConflictError('this photo id is being stored; try again');
        return { id: await this.retried(actor, other, input.jobId), created: false };
      }
    } finally {
      release();
    }
    await this.record(actor, job.id, photo);
    return { id, created: true };
  }

  /** Photo records of one job, one after the other: two at once would both append the same id. */
  private readonly recording = new Map<string, Promise<unknown>>();

  /**
   * Writes the fact (idempotent). Serialised per job on this instance; another instance's
   * concurrent record of the same photo may still win, which is as good as this one.
   */
  private async record(actor: Actor, jobId: string, photo: PhotoFacts): Promise<void> {
    const previous = this.recording.get(jobId) ?? Promise.resolve();
    const mine = previous.catch(() => {}).then(() => this.jobs.change(jobId, actor, (doc) => void recordPhoto(doc, photo), 'server'));
    this.recording.set(jobId, mine);
    try {
      await mine;
    } catch (error) {
      if (!(await this.jobs.facts(jobId)).photos.some((p) => p.id === photo.id)) throw error;
    } finally {
      if (this.recording.get(jobId) === mine) this.recording.delete(jobId);
    }
  }

  /**
   * The same upload again: only the same uploader's same job may name it; the fact is written
   * again if an earlier try stopped between storing the bytes and recording it (idempotent).
   */
  private async retried(actor: Actor, row: PhotoRow, jobId: string): Promise<string> {
    if (row.jobId !== jobId || row.uploadedBy !== actor.id) throw new ConflictError('this photo id is already taken; pick a new one');
    const photo: PhotoFacts = {
      id: row.id,
      itemId: row.itemId,
      visibility: row.visibility,
      by: row.uploadedBy,
      at: row.createdAt,
      type: row.type,
      width: row.width,
      height: row.height
    };
    await this.record(actor, jobId, photo);
    return row.id;
  }

  /** P14: staff who may open the job, and the job's own customer for a customer-visible photo. */
  async forActor(actor: Actor, id: string, size: PhotoSize): Promise<ServedPhoto> {
    const row = PHOTO_ID.test(id) ? await this.storage.photos.getPhoto(id) : null;
    if (!row) throw notFound();
    const job = await this.storage.getJob(row.jobId);
    if (!job) throw notFound();
    const allowed =
      actor.role === 'customer' ? job.customerId === actor.id && (await this.isCustomerVisible(job.id, id)) : canOpenJob(actor, job.assigneeId) !== false;
    if (!allowed) throw notFound();
    return this.read(row, size);
  }

  /** Through a share link: a customer-visible photo of that link's job, else not found. */
  async forShareLink(token: string, id: string, size: PhotoSize): Promise<ServedPhoto> {
    const { job } = await this.jobs.shareLinkForToken(token);
    const row = PHOTO_ID.test(id) ? await this.storage.photos.getPhoto(id) : null;
    if (!row || row.jobId !== job.id || !(await this.isCustomerVisible(job.id, id))) throw notFound();
    return this.read(row, size);
  }

  /** Visibility as the job document says it (the document is the truth; the row only mirrors the upload). */
  private async isCustomerVisible(jobId: string, photoId: string): Promise<boolean> {
    const facts = await this.jobs.facts(jobId);
    return facts.photos.some((p) => p.id === photoId && p.visibility === 'customer');
  }

  private async read(row: PhotoRow, size: PhotoSize): Promise<ServedPhoto> {
    const bytes = await this.bytes.get(row.id, size);
    if (!bytes) throw notFound();
    return { bytes, type: size === 'thumb' ? THUMB_TYPE : row.type };
  }
}
