/**
 * What an uploaded photo becomes before it is stored: its real type read from its first bytes
 * (the Content-Type header is the sender's word only), then a re-encoding with sharp that
 * applies the EXIF orientation and keeps no metadata at all — no EXIF, GPS, XMP, IPTC or ICC
 * profile reaches the stored file — plus a small thumbnail.
 */
import type { PhotoType } from '@pitboard/job-model';
import { BadRequestError, PitboardError } from '../errors.js';

export class UnsupportedTypeError extends PitboardError {
  constructor(reason: string) {
    super(415, reason);
  }
}

/** Longest edge of a stored photo: plenty to show worn brake pads, a tenth of a phone's raw file. */
export const STORED_EDGE = 2048;
export const THUMB_EDGE = 320;
/** A decompression bomb (a tiny file that unpacks to gigapixels) is refused before decoding. */
const MAX_INPUT_PIXELS = 50_000_000;

/** The image type its magic bytes say, or null. */
export function sniffType(bytes: Uint8Array): PhotoType | null {
  const at = (i: number, ...values: number[]) => values.every((v, k) => bytes[i + k] === v);
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  // RIFF....WEBP
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return null;
}

export interface ProcessedPhoto {
  type: PhotoType;
  full: Uint8Array;
  thumb: Uint8Array;
  width: number;
  height: number;
}

/** The thumbnail is always WebP. */
export const THUMB_TYPE = 'image/webp';

export async function processPhoto(input: Uint8Array, declaredType: string | null): Promise<ProcessedPhoto> {
  const type = sniffType(input);
  if (!type) throw new UnsupportedTypeError('only JPEG, PNG or WebP photos can be uploaded');
  if (declaredType !== null && declaredType !== type && declaredType !== 'application/octet-stream') {
    throw new UnsupportedTypeError(`the photo is ${type}, not ${declaredType} as the request says`);
  }
  // Loaded on the first upload: sharp's native library costs every start (the CLI's too) otherwise.
  const { default: sharp } = await import('sharp');
  try {
    // rotate(): turn the pixels as EXIF says, since the EXIF that said it is dropped. sharp
    // writes no metadata unless asked (no withMetadata/keepExif here).
    const base = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).rotate();
    const resized = base.clone().resize(STORED_EDGE, STORED_EDGE, { fit: 'inside', withoutEnlargement: true });
    const encoded =
      type === 'image/jpeg' ? resized.jpeg({ quality: 85, mozjpeg: true }) : type === 'image/png' ? resized.png() : resized.webp({ quality: 85 });
    const { data: full, info } = await encoded.toBuffer({ resolveWithObject: true });
    const thumb = await base.clone().resize(THUMB_EDGE, THUMB_EDGE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 70 }).toBuffer();
    return { type, full: new Uint8Array(full), thumb: new Uint8Array(thumb), width: info.width, height: info.height };
  } catch (error) {
    throw new BadRequestError(`the photo could not be read: ${error instanceof Error ? error.message.split('\n')[0] : 'broken image'}`);
  }
}
