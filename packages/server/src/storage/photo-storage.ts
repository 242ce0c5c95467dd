/**
 * Stored photos (migration 20261202T1010_photos): one row per photo, its bytes in the row on
 * PostgreSQL or in files beside the SQLite database (photos/photo-bytes.ts chooses).
 */
import type { PhotoType } from '@pitboard/job-model';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface PhotoRow {
  id: string;
  jobId: string;
  itemId: string | null;
  visibility: 'internal' | 'customer';
  uploadedBy: string;
  type: PhotoType;
  width: number;
  height: number;
  /** Size of the stored full image. */
  bytes: number;
  createdAt: string;
}

export type PhotoSize = 'full' | 'thumb';

export interface PhotoStorage {
  /** Stores the row (and, when given, its bytes); false when a photo with this id exists. */
  insertPhoto(row: PhotoRow, data?: { full: Uint8Array; thumb: Uint8Array }): Promise<boolean>;
  getPhoto(id: string): Promise<PhotoRow | null>;
  countPhotos(jobId: string): Promise<number>;
  /** Bytes kept in the row (PostgreSQL), or null. */
  photoData(id: string, size: PhotoSize): Promise<Uint8Array | null>;
}

interface PhotosTable {
  id: string;
  job_id: string;
  item_id: string | null;
  visibility: string;
  uploaded_by: string;
  type: string;
  width: number;
  height: number;
  bytes: number;
  created_at: string;
  data: Uint8Array | null;
  thumb: Uint8Array | null;
}

export class KyselyPhotoStorage implements PhotoStorage {
  private readonly db: Kysely<Database & { photos: PhotosTable }>;

  /** Any Kysely handle on the migrated database; this area's table is typed here, not in schema.ts. */
  constructor(db: Kysely<Database>) {
    this.db = db.withTables<{ photos: PhotosTable }>();
  }

  async insertPhoto(row: PhotoRow, data?: { full: Uint8Array; thumb: Uint8Array }): Promise<boolean> {
    const result = await this.db
      .insertInto('photos')
      .values({
        id: row.id,
        job_id: row.jobId,
        item_id: row.itemId,
        visibility: row.visibility,
        uploaded_by: row.uploadedBy,
        type: row.type,
        width: row.width,
        height: row.height,
        bytes: row.bytes,
        created_at: row.createdAt,
        data: data?.full ?? null,
        thumb: data?.thumb ?? null
      })
      .onConflict((c) => c.column('id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async getPhoto(id: string): Promise<PhotoRow | null> {
    const r = await this.db
      .selectFrom('photos')
      .select(['id', 'job_id', 'item_id', 'visibility', 'uploaded_by', 'type', 'width', 'height', 'bytes', 'created_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!r) return null;
    return {
      id: r.id,
      jobId: r.job_id,
      itemId: r.item_id,
      visibility: r.visibility === 'customer' ? 'customer' : 'internal',
      uploadedBy: r.uploaded_by,
      type: r.type as PhotoType,
      width: Number(r.width),
      height: Number(r.height),
      bytes: Number(r.bytes),
      createdAt: r.created_at
    };
  }

  async countPhotos(jobId: string): Promise<number> {
    const r = await this.db.selectFrom('photos').select((eb) => eb.fn.countAll<number>().as('n')).where('job_id', '=', jobId).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async photoData(id: string, size: PhotoSize): Promise<Uint8Array | null> {
    const column = size === 'thumb' ? 'thumb' : 'data';
    const r = await this.db.selectFrom('photos').select(column).where('id', '=', id).executeTakeFirst();
    const value = r?.[column] ?? null;
    return value === null ? null : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
}
