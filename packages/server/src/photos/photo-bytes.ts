/**
 * Where a photo's bytes live (docs/deploy.md, Photos): files under DATA_DIR/photos for the
 * single SQLite instance; rows in PostgreSQL when several instances share it and no disk.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { PhotoSize, PhotoStorage } from '../storage/index.js';

export interface PhotoBytes {
  /** Whether `PhotoStorage.insertPhoto` must carry the bytes (they live in the row). */
  readonly inRow: boolean;
  /** Writes the files, before the row names them (no-op when the row holds them). */
  put(id: string, full: Uint8Array, thumb: Uint8Array): Promise<void>;
  get(id: string, size: PhotoSize): Promise<Uint8Array | null>;
}

export class FilePhotoBytes implements PhotoBytes {
  readonly inRow = false;
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'photos');
  }

  async put(id: string, full: Uint8Array, thumb: Uint8Array): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await Promise.all([this.write(this.file(id, 'full'), full), this.write(this.file(id, 'thumb'), thumb)]);
  }

  async get(id: string, size: PhotoSize): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await fs.readFile(this.file(id, size)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** Ids are checked against PHOTO_ID (letters, digits, `_-`), so a name never leaves the folder. */
  file(id: string, size: PhotoSize): string {
    return path.join(this.dir, size === 'thumb' ? `${id}.thumb` : `${id}.full`);
  }

  /** Written whole, then renamed: a crash never leaves half a photo under its name. */
  private async write(file: string, bytes: Uint8Array): Promise<void> {
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await fs.writeFile(temp, bytes);
    await fs.rename(temp, file);
  }
}

export class RowPhotoBytes implements PhotoBytes {
  readonly inRow = true;
  constructor(private readonly storage: PhotoStorage) {}
  async put(): Promise<void> {}
  get(id: string, size: PhotoSize): Promise<Uint8Array | null> {
    return this.storage.photoData(id, size);
  }
}
