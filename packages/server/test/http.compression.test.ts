/**
 * Response compression (src/http/compress.ts) over real HTTP: raw node:http requests, so the
 * test sees the bytes on the wire (fetch would decode them silently), against the API and a
 * fallback standing in for SvelteKit's handler.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../src/config.js';
import { isCompressibleType, negotiateEncoding } from '../src/http/compress.js';
import { startServer, type NodeHandler, type RunningServer } from '../src/http/server.js';
import { createLogger } from '../src/log.js';
import { createPitboard } from '../src/pitboard.js';
import { api, createUser, tempDir, type TestUser } from './helpers/server.js';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The bytes as sent. */
  wire: Buffer;
  /** The body after undoing Content-Encoding. */
  text: string;
}

function decode(encoding: string | undefined, wire: Buffer): Buffer {
  if (encoding === 'gzip') return zlib.gunzipSync(wire);
  if (encoding === 'br') return zlib.brotliDecompressSync(wire);
  return wire;
}

function raw(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .request(url, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const wire = Buffer.concat(chunks);
          resolve({ status: res.statusCode!, headers: res.headers, wire, text: decode(res.headers['content-encoding'], wire).toString('utf8') });
        });
        res.on('error', reject);
      })
      .on('error', reject)
      .end();
  });
}

/** 8 MB of hex (compresses to about half): enough for the socket and zlib to push back. */
const large = Array.from({ length: 64 }, () => randomBytes(64 * 1024).toString('hex'));
const page = `<!doctype html><html><body>${'<p>Chain replaced, brakes bled, ready on Friday.</p>'.repeat(60)}</body></html>`;

/** Stands in for SvelteKit's handler and its static files: each path writes the way they do. */
const fallback: NodeHandler = (req, res) => {
  const path = (req.url ?? '').split('?')[0];
  if (path === '/page') {
    // SvelteKit: headers through writeHead with a Content-Length and a strong ETag, then the body.
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(Buffer.byteLength(page)), etag: '"abc"' });
    res.write(page);
    res.end();
  } else if (path === '/missing') {
    res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  } else if (path === '/small') {
    res.setHeader('content-type', 'text/html');
    res.end('<p>tiny</p>');
  } else if (path === '/precompressed') {
    const br = zlib.brotliCompressSync(page);
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'br', 'content-length': String(br.length), vary: 'Accept-Encoding' });
    res.end(br);
  } else if (path === '/no-transform') {
    res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-transform' });
    res.end(page);
  } else if (path === '/image') {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(Buffer.alloc(4096, 7));
  } else if (path === '/not-modified') {
    res.writeHead(304, { etag: '"abc"' });
    res.end();
  } else if (path === '/streamed') {
    // A page streaming its data: the first part must reach the client before the rest exists.
    res.writeHead(200, { 'content-type': 'text/html' });
    res.write(page);
    setTimeout(() => res.end('<p>the rest</p>'), 1500);
  } else if (path === '/trickle') {
    // A stream whose first part is under the threshold: compressed too, and still live.
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('first part\n');
    setTimeout(() => res.end(page), 1500);
  } else if (path === '/large') {
    // Static files: a file stream piped into the response, which must honour backpressure.
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(large.join('').length) });
    Readable.from(large).pipe(res);
  } else {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not found"}');
  }
};

describe('response compression', () => {
  let server: RunningServer;
  let url: string;
  let boss: TestUser;
  let shareToken: string;
  const bearer = () => ({ authorization: `Bearer ${boss.token}` });

  beforeAll(async () => {
    const env = { PITBOARD_DEMO: '0', LOG_LEVEL: 'silent', DATA_DIR: tempDir(), HOST: '127.0.0.1' };
    const pitboard = await createPitboard(loadConfig(env as NodeJS.ProcessEnv, { port: 0 }), createLogger('silent'));
    server = await startServer(pitboard, { fallback });
    url = server.url;
    boss = await createUser(pitboard, 'manager');
    const kim = await createUser(pitboard, 'customer');
    for (let i = 0; i < 12; i++) {
      const { body } = await api(url, boss.token).post('/api/jobs', { bike: `Bike ${i}`, description: 'Rattles over cobbles', customerId: kim.id, items: ['A', 'B'] });
      shareToken = body.shareUrl.split('/p/')[1];
    }
  });
  afterAll(() => server.stop());

  it('compresses a JSON list with gzip or brotli when asked, to the same body', async () => {
    const identity = await raw(`${url}/api/jobs`, bearer());
    expect(identity.wire.length).toBeGreaterThan(1024);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.headers.vary).toMatch(/accept-encoding/i);
    for (const [accept, encoding] of [
      ['gzip', 'gzip'],
      ['gzip, deflate, br', 'br'],
      ['br;q=0.5, gzip', 'gzip']
    ] as const) {
      const res = await raw(`${url}/api/jobs`, { ...bearer(), 'accept-encoding': accept });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(res.headers['content-length']).toBe(String(res.wire.length)); // compressed whole
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.wire.length).toBeLessThan(identity.wire.length / 3);
      expect(res.text).toBe(identity.text);
    }
  });

  it('sends identity when the client does not accept an encoding we have', async () => {
    for (const accept of ['identity', 'gzip;q=0, br;q=0', 'deflate']) {
      const res = await raw(`${url}/api/jobs`, { ...bearer(), 'accept-encoding': accept });
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(res.text)).toHaveLength(12);
    }
  });

  it('leaves small bodies and API errors as they are, and correct', async () => {
    const health = await raw(`${url}/healthz`, { 'accept-encoding': 'gzip' });
    expect(health.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(health.text)).toMatchObject({ ok: true });
    const missing = await raw(`${url}/api/jobs/nope`, { ...bearer(), 'accept-encoding': 'gzip, br' });
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(missing.text)).toEqual({ error: expect.any(String) });
    const unauthorized = await raw(`${url}/api/jobs`, { 'accept-encoding': 'gzip' });
    expect(unauthorized.status).toBe(401);
    expect(JSON.parse(unauthorized.text)).toEqual({ error: expect.any(String) });
  });

  it('keeps the status of a large error page it compresses', async () => {
    const res = await raw(`${url}/missing`, { 'accept-encoding': 'gzip' });
    expect(res.status).toBe(404);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.text).toBe(page);
  });

  it('answers HEAD with headers only, uncompressed', async () => {
    const res = await raw(`${url}/api/jobs`, { ...bearer(), 'accept-encoding': 'gzip' }, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.wire.length).toBe(0);
  });

  it('compresses pages from the fallback, corrects Content-Length and weakens a strong ETag', async () => {
    const res = await raw(`${url}/page`, { 'accept-encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-length']).toBe(String(res.wire.length));
    expect(res.headers.etag).toBe('W/"abc"');
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(res.text).toBe(page);
    const plain = await raw(`${url}/page`);
    expect(plain.headers['content-length']).toBe(String(Buffer.byteLength(page)));
    expect(plain.headers.etag).toBe('"abc"');
    expect(plain.headers.vary).toBe('Accept-Encoding');
  });

  it('never touches a body already encoded, an image, no-transform, a 304 or a small page', async () => {
    const pre = await raw(`${url}/precompressed`, { 'accept-encoding': 'gzip, br' });
    expect(pre.headers['content-encoding']).toBe('br');
    expect(pre.headers.vary).toBe('Accept-Encoding'); // not twice
    expect(pre.text).toBe(page);
    const image = await raw(`${url}/image`, { 'accept-encoding': 'gzip' });
    expect(image.headers['content-encoding']).toBeUndefined();
    expect(image.wire.length).toBe(4096);
    const noTransform = await raw(`${url}/no-transform`, { 'accept-encoding': 'gzip' });
    expect(noTransform.headers['content-encoding']).toBeUndefined();
    expect(noTransform.text).toBe(page);
    const notModified = await raw(`${url}/not-modified`, { 'accept-encoding': 'gzip' });
    expect(notModified.status).toBe(304);
    expect(notModified.headers['content-encoding']).toBeUndefined();
    const small = await raw(`${url}/small`, { 'accept-encoding': 'gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.text).toBe('<p>tiny</p>');
  });

  it('delivers a streamed page as it is written, not at its end', async () => {
    for (const [path, part] of [
      ['/streamed', page],
      ['/trickle', 'first part\n']
    ] as const) {
      const started = Date.now();
      const first = await new Promise<{ encoding: string | undefined; at: number; req: http.ClientRequest }>((resolve, reject) => {
        const req = http.get(`${url}${path}`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
          let text = '';
          res.pipe(zlib.createGunzip()).on('data', (c: Buffer) => {
            text += c.toString('utf8');
            if (text.startsWith(part)) resolve({ encoding: res.headers['content-encoding'], at: Date.now() - started, req });
          });
        });
        req.on('error', reject);
      });
      expect(first.encoding, path).toBe('gzip');
      expect(first.at, path).toBeLessThan(1000); // the rest comes at 1.5 s
      first.req.destroy();
    }
  });

  it('streams a large body through backpressure, whole', async () => {
    for (const accept of ['gzip', 'br']) {
      const res = await raw(`${url}/large`, { 'accept-encoding': accept });
      expect(res.headers['content-encoding']).toBe(accept);
      expect(res.headers['content-length']).toBeUndefined(); // streamed, so chunked
      expect(res.text.length).toBe(large.join('').length);
      expect(res.text === large.join('')).toBe(true);
    }
  });

  it('never compresses the share page’s event stream, which stays live', async () => {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get(`${url}/api/share/${shareToken}/events`, { headers: { 'accept-encoding': 'gzip, br' } }, resolve).on('error', reject)
    );
    expect(res.headers['content-type']).toMatch(/text\/event-stream/);
    expect(res.headers['content-encoding']).toBeUndefined();
    // The first event arrives while the stream is open, as plain text.
    const first = await new Promise<string>((resolve) => res.once('data', (c: Buffer) => resolve(c.toString('utf8'))));
    expect(first).toMatch(/^event: view\ndata: \{/);
    res.destroy();
  });

  it('leaves the /collab WebSocket upgrade alone', async () => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/collab`, { headers: { 'accept-encoding': 'gzip, br' } });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.close();
  });
});

describe('negotiation and types', () => {
  it('picks the highest q, brotli on a tie, nothing for q=0 or unknown encodings', () => {
    expect(negotiateEncoding(undefined)).toBeNull();
    expect(negotiateEncoding('')).toBeNull();
    expect(negotiateEncoding('identity')).toBeNull();
    expect(negotiateEncoding('deflate')).toBeNull();
    expect(negotiateEncoding('gzip')).toBe('gzip');
    expect(negotiateEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(negotiateEncoding('br;q=0.1, gzip;q=0.9')).toBe('gzip');
    expect(negotiateEncoding('br;q=0, gzip')).toBe('gzip');
    expect(negotiateEncoding('gzip;q=0')).toBeNull();
    expect(negotiateEncoding('*')).toBe('br');
    expect(negotiateEncoding('*;q=0.5, br;q=0')).toBe('gzip');
  });

  it('compresses text-like types only, never an event stream', () => {
    for (const t of ['text/html', 'text/html; charset=utf-8', 'application/json; charset=utf-8', 'text/css', 'text/javascript', 'application/javascript', 'image/svg+xml', 'text/plain; version=0.0.4', 'application/manifest+json'])
      expect(isCompressibleType(t), t).toBe(true);
    for (const t of [undefined, 'text/event-stream', 'text/event-stream; charset=utf-8', 'image/png', 'application/octet-stream', 'font/woff2', 'text/sveltekit-data'])
      expect(isCompressibleType(t), String(t)).toBe(false);
  });
});
