/**
 * Request bodies are read with a running byte count and cut off at the limit while they
 * stream in, so a body with no Content-Length (chunked) is never held whole before the size
 * check (docs/security.md, class 3). Nothing is parsed until the whole body is within limits.
 */
import { BadRequestError, TooLargeError } from '../errors.js';

/** The body's bytes, or TooLargeError as soon as more than `maxBytes` have arrived. */
export async function readLimitedBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    // Stop reading here: the rest stays unread in the socket, and the 413 closes the
    // connection (see TOO_LARGE_HEADERS), so the sender cannot keep us busy with it.
    if (total > maxBytes) throw tooLarge(maxBytes);
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}

/** The body as a JSON object (empty body → `{}`), or a 400/413 that says what is wrong. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<Record<string, unknown>> {
  const bytes = await readLimitedBody(request, maxBytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BadRequestError('body is not valid UTF-8');
  }
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadRequestError('body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BadRequestError('body must be a JSON object');
  return value as Record<string, unknown>;
}

/** A 413 ends the connection: the unread rest of the body is dropped, not drained. */
export const TOO_LARGE_HEADERS = { connection: 'close' };

function tooLarge(maxBytes: number): TooLargeError {
  return new TooLargeError(`the request is too large (at most ${maxBytes} bytes)`);
}
