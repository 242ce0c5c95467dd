/** Real images for photo tests, made with sharp: a phone-like JPEG carrying EXIF with GPS. */
import sharp from 'sharp';

/** Texts put in the EXIF (ImageDescription) and in its GPS block, to look for in stored bytes. */
export const EXIF_MARKER = 'PITBOARD-SECRET-YARD';

/** The GPS latitude 52° 22' 12.34" as EXIF writes it (three rationals, little-endian, as libexif does). */
export const GPS_LATITUDE_BYTES: Uint8Array = (() => {
  const b = Buffer.alloc(24);
  [52, 1, 22, 1, 1234, 100].forEach((v, i) => b.writeUInt32LE(v, i * 4));
  return new Uint8Array(b);
})();

/** A JPEG of `width`×`height` with EXIF: GPS position, camera, description and an orientation. */
export async function phoneJpeg({ width = 64, height = 48, orientation = 1 } = {}): Promise<Uint8Array> {
  const out = await sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .jpeg()
    .withExif({
      IFD0: { ImageDescription: EXIF_MARKER, Make: 'PhoneCo', Model: 'Phone 15' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 22/1 1234/100', GPSLongitudeRef: 'E', GPSLongitude: '4/1 53/1 5/1' }
    })
    .withMetadata({ orientation })
    .toBuffer();
  return new Uint8Array(out);
}

export async function pngImage(width = 30, height = 20): Promise<Uint8Array> {
  return new Uint8Array(await sharp({ create: { width, height, channels: 4, background: '#3366ff' } }).png().toBuffer());
}

/** Whether `bytes` contain `needle` (ASCII text or bytes). */
export function contains(bytes: Uint8Array, needle: string | Uint8Array): boolean {
  return Buffer.from(bytes).includes(typeof needle === 'string' ? Buffer.from(needle, 'latin1') : Buffer.from(needle));
}

/** POSTs raw bytes as a photo; never throws on a status. */
export async function uploadPhoto(
  base: string,
  token: string,
  jobId: string,
  body: Uint8Array,
  { type = 'image/jpeg', key, query = '' }: { type?: string; key?: string; query?: string } = {}
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}/api/jobs/${jobId}/photos${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': type, ...(key ? { 'idempotency-key': key } : {}) },
    body
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: json };
}

export async function getBytes(url: string, token?: string): Promise<{ status: number; bytes: Uint8Array; headers: Headers }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, bytes: new Uint8Array(await res.arrayBuffer()), headers: res.headers };
}
