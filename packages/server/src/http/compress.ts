/**
 * HTTP response compression for everything `startServer` serves (the JSON API, SvelteKit's
 * pages and whatever else the fallback writes), with node:zlib only.
 *
 * It wraps a Node `ServerResponse` before any handler sees it, because the fallback (SvelteKit's
 * handler, its static file server) writes to `res` directly. Headers are held back until the
 * status, the headers and, when they do not settle it, the body (all of it if it ends within
 * the turn, as API answers and pages do) say how to send it. Compressed: only
 * compressible types (never `text/event-stream`, which must reach the browser event by event),
 * only bodies of `threshold` bytes or more, only when the client asked for it, never a body
 * already encoded (adapter-node's precompressed files), never HEAD, 1xx, 204, 206 or 304, never
 * under `Cache-Control: no-transform`. WebSocket upgrades never reach a request handler.
 *
 * Levels (measured by `npm run bench:compression`): brotli quality 4 and gzip level 6 cost about
 * 0.3 ms on a 27 KB job list and save 85–90 % of its bytes; brotli's default quality 11 costs
 * 40 ms there. Brotli is a little smaller at the same cost, so it wins when the client offers it.
 *
 * Kept hand-written rather than the `compression` middleware, which sends every body through a
 * zlib stream (the ≈ 0.4 ms per answer measured below, and no Content-Length): most answers here
 * are whole bodies that one synchronous call compresses.
 */
import type { IncomingMessage, OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import zlib from 'node:zlib';

export type ContentEncoding = 'br' | 'gzip';

export interface CompressionOptions {
  /** Bodies smaller than this many bytes go out as they are (framing would eat the gain). */
  threshold?: number;
  /** zlib failed: a stream's response is then destroyed, a whole body goes out as it is. */
  onError?: (error: Error) => void;
}

export const DEFAULT_THRESHOLD = 1024;

/**
 * A whole body up to this size is compressed in one synchronous call (≈ 0.04 ms for a 3 KB
 * page, 0.3 ms for 27 KB of JSON) and sent with its Content-Length; a zlib stream would cost
 * about 0.4 ms more in thread-pool round trips. Larger or streamed bodies go through a stream
 * in zlib's thread pool, off the event loop.
 */
const ONE_SHOT_LIMIT = 32 * 1024;

/** Text-like types. `text/event-stream` is deliberately absent: see the module comment. */
const COMPRESSIBLE =
  /^\s*(text\/(html|css|plain|javascript|xml|csv|markdown)|application\/(json|javascript|x-javascript|xml|[\w.-]+\+(json|xml))|image\/svg\+xml)\s*(;|$)/i;

export function isCompressibleType(contentType: string | undefined): boolean {
  return contentType !== undefined && COMPRESSIBLE.test(contentType);
}

/**
 * The encoding to use for an Accept-Encoding header, or null for identity. Highest q wins;
 * on a tie brotli, which is smaller at the same cost. `*` covers what is not named.
 */
export function negotiateEncoding(acceptEncoding: string | string[] | undefined): ContentEncoding | null {
  if (!acceptEncoding) return null;
  const q = new Map<string, number>();
  for (const part of String(acceptEncoding).split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam === undefined ? 1 : Number(qParam.slice(2));
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const weight = (e: string) => q.get(e) ?? q.get('*') ?? 0;
  const br = weight('br');
  const gzip = Math.max(weight('gzip'), q.get('x-gzip') ?? 0);
  if (br <= 0 && gzip <= 0) return null;
  return br >= gzip ? 'br' : 'gzip';
}

const BROTLI = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } };
const GZIP = { level: 6 };

function createEncoder(encoding: ContentEncoding): zlib.Gzip | zlib.BrotliCompress {
  return encoding === 'br' ? zlib.createBrotliCompress(BROTLI) : zlib.createGzip(GZIP);
}

function compressWhole(encoding: ContentEncoding, body: Buffer): Buffer {
  return encoding === 'br' ? zlib.brotliCompressSync(body, BROTLI) : zlib.gzipSync(body, GZIP);
}

function header(res: ServerResponse, name: string): string | undefined {
  const value = res.getHeader(name);
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function addVary(res: ServerResponse): void {
  const vary = header(res, 'vary') ?? '';
  if (/(^|,)\s*(\*|accept-encoding)\s*(,|$)/i.test(vary)) return;
  res.setHeader('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
}

/** Whether this response may be compressed at all, judging by status and headers only. */
function eligible(res: ServerResponse): boolean {
  const status = res.statusCode;
  if (status < 200 || status === 204 || status === 206 || status === 304) return false;
  if (!isCompressibleType(header(res, 'content-type'))) return false;
  const encoding = header(res, 'content-encoding');
  if (encoding && encoding.toLowerCase() !== 'identity') return false;
  return !/(^|,)\s*no-transform\s*(,|$)/i.test(header(res, 'cache-control') ?? '');
}

/** `writeHead`'s arguments applied to `res`, as Node itself merges them, without sending anything. */
function applyHead(res: ServerResponse, args: unknown[]): void {
  const [status, second, third] = args;
  if (typeof status === 'number') res.statusCode = status;
  if (typeof second === 'string') res.statusMessage = second;
  const headers = (typeof second === 'string' ? third : second) as OutgoingHttpHeaders | OutgoingHttpHeader[] | undefined;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) res.setHeader(String(headers[i]), headers[i + 1] as OutgoingHttpHeader);
  } else if (headers) {
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, value);
  }
}

type Callback = (error?: Error | null) => void;

/** `write`/`end` arguments in one shape: a Buffer (or nothing) and an optional callback. */
function normalize(args: unknown[]): { chunk: Buffer | null; callback: Callback | undefined } {
  const [chunk, encoding, callback] = args;
  if (typeof chunk === 'function') return { chunk: null, callback: chunk as Callback };
  const cb = (typeof encoding === 'function' ? encoding : callback) as Callback | undefined;
  if (chunk === undefined || chunk === null) return { chunk: null, callback: cb };
  if (typeof chunk === 'string') return { chunk: Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'), callback: cb };
  const bytes = chunk as Uint8Array;
  return { chunk: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), callback: cb };
}

/**
 * Makes `res` compress its body when it should. Call it first thing for each request.
 * Without an acceptable encoding it only adds `Vary: Accept-Encoding` to responses that would
 * have been compressed, so a shared cache never hands the identity body to everyone either.
 */
export function compressResponse(req: IncomingMessage, res: ServerResponse, options: CompressionOptions = {}): void {
  if (req.method === 'HEAD') return; // no body; its headers stay those of an identity answer
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const encoding = negotiateEncoding(req.headers['accept-encoding']);
  const writeHead = res.writeHead;

  if (!encoding) {
    // Node's implicit headers also go through `this.writeHead`, so this sees every response.
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      applyHead(this, args);
      if (eligible(this)) addVary(this);
      this.writeHead = writeHead;
      return writeHead.call(this, this.statusCode);
    } as typeof res.writeHead;
    return;
  }

  const write = res.write;
  const end = res.end;
  const flushHeaders = res.flushHeaders;
  type Choice = 'identity' | 'one-shot' | 'stream';
  let state: 'pending' | Choice = 'pending';
  const held: { chunk: Buffer; callback: Callback | undefined }[] = [];
  let heldBytes = 0;
  let ended: { callback: Callback | undefined } | null = null;
  let encoder: zlib.Gzip | zlib.BrotliCompress | null = null;
  let timer: NodeJS.Immediate | null = null;

  const restore = () => {
    res.writeHead = writeHead;
    res.write = write;
    res.end = end;
    res.flushHeaders = flushHeaders;
  };

  /** The choice when status and headers settle it, else null: wait for the body. */
  const judgeHeaders = (): Choice | null => {
    if (!eligible(res)) return 'identity';
    addVary(res);
    const declared = Number(header(res, 'content-length') ?? NaN);
    if (declared < threshold) return 'identity';
    return declared > ONE_SHOT_LIMIT ? 'stream' : null;
  };

  /** Once the body is complete (end() called): by its size. */
  const judgeWhole = (): Choice => judgeHeaders() ?? (heldBytes < threshold ? 'identity' : heldBytes <= ONE_SHOT_LIMIT ? 'one-shot' : 'stream');

  const setEncodedHeaders = () => {
    res.setHeader('content-encoding', encoding);
    res.removeHeader('content-length');
    // The bytes differ from the identity body, so a strong validator would lie about them.
    const etag = header(res, 'etag');
    if (etag?.startsWith('"')) res.setHeader('etag', `W/${etag}`);
  };

  const commit = (choice: Choice) => {
    if (timer) clearImmediate(timer);
    timer = null;
    state = choice;
    if (res.destroyed) {
      // The client left before a byte went out: nothing to send, no zlib state to hold.
      held.length = 0;
      restore();
      return;
    }
    if (choice === 'one-shot') {
      const callbacks = [...held.map((h) => h.callback), ended?.callback];
      let body: Buffer;
      try {
        body = compressWhole(encoding, Buffer.concat(held.map((h) => h.chunk)));
      } catch (error) {
        options.onError?.(error as Error);
        commit('identity'); // the body as it is beats no body
        return;
      }
      held.length = 0;
      setEncodedHeaders();
      res.setHeader('content-length', body.length);
      restore();
      res.writeHead(res.statusCode);
      res.end(body, () => callbacks.forEach((cb) => cb?.()));
      return;
    }
    if (choice === 'identity') {
      restore();
      if (!res.headersSent) res.writeHead(res.statusCode);
      for (const { chunk, callback } of held.splice(0)) res.write(chunk, callback);
      if (ended) res.end(ended.callback);
      return;
    }
    setEncodedHeaders();
    res.writeHead = writeHead;
    res.flushHeaders = flushHeaders;
    writeHead.call(res, res.statusCode);
    const stream = (encoder = createEncoder(encoding));
    stream.on('data', (chunk: Buffer) => {
      if (!(write as (chunk: Buffer) => boolean).call(res, chunk)) stream.pause();
    });
    res.on('drain', () => stream.resume());
    // Whoever writes waits on the response's 'drain'; the encoder's input is where they queue.
    stream.on('drain', () => res.emit('drain'));
    stream.on('end', () => (end as (callback?: Callback) => ServerResponse).call(res, ended?.callback));
    stream.on('error', (error) => {
      options.onError?.(error);
      res.destroy(error);
    });
    res.once('close', () => stream.destroy()); // client gone: free the zlib state
    const hadBody = held.length > 0;
    for (const { chunk, callback } of held.splice(0)) stream.write(chunk, callback);
    if (ended) stream.end();
    else if (hadBody) scheduleFlush();
  };

  /** A streamed body (a page streaming its data) reaches the client once the writer pauses. */
  const scheduleFlush = () => {
    if (timer || !encoder) return;
    const stream = encoder;
    timer = setImmediate(() => {
      timer = null;
      if (!ended && !stream.destroyed) stream.flush(encoding === 'br' ? zlib.constants.BROTLI_OPERATION_FLUSH : zlib.constants.Z_SYNC_FLUSH);
    });
  };

  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    applyHead(this, args);
    const choice = judgeHeaders();
    if (choice) commit(choice);
    return this;
  } as typeof res.writeHead;

  res.flushHeaders = function (this: ServerResponse) {
    // Headers wanted now means a stream whose size nobody knows: send it as it is.
    if (state === 'pending') commit(judgeHeaders() ?? 'identity');
    flushHeaders.call(this);
  };

  res.write = function (this: ServerResponse, ...args: unknown[]): boolean {
    const { chunk, callback } = normalize(args);
    if (state === 'stream') {
      // After end() the encoder is closing: a late write must not reach the wire raw.
      if (ended) return false;
      if (!chunk) return true;
      const ok = encoder!.write(chunk, callback);
      scheduleFlush();
      return ok;
    }
    if (chunk) {
      held.push({ chunk, callback });
      heldBytes += chunk.length;
    }
    const choice = judgeHeaders() ?? (heldBytes > ONE_SHOT_LIMIT ? 'stream' : null);
    if (choice) commit(choice);
    // The body may end in this turn (one call to compress it); if not, it is a stream.
    else timer ??= setImmediate(() => state === 'pending' && !ended && commit('stream'));
    return true;
  } as typeof res.write;

  res.end = function (this: ServerResponse, ...args: unknown[]) {
    const { chunk, callback } = normalize(args);
    if (ended) return this;
    ended = { callback };
    if (state === 'stream') {
      if (timer) clearImmediate(timer);
      timer = null;
      if (chunk) encoder!.write(chunk);
      encoder!.end();
      return this;
    }
    if (chunk) {
      held.push({ chunk, callback: undefined });
      heldBytes += chunk.length;
    }
    commit(judgeWhole());
    return this;
  } as typeof res.end;
}
