/**
 * Class 3, request bodies: a body with no Content-Length (chunked) is cut off at the limit
 * while it streams in — 413 and the connection closed — instead of being read whole first.
 */
import net from 'node:net';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

const LIMIT = 64 * 1024;
const SEND_AT_MOST = 64 * 1024 * 1024;

let t: TestServer;
const serverSockets: Socket[] = [];
beforeAll(async () => {
  t = await startTestServer({ env: { MAX_MESSAGE_BYTES: String(LIMIT) } });
  t.server.httpServer.on('connection', (s: Socket) => serverSockets.push(s));
});
afterAll(() => t.stop());

/** Streams a chunked body until the server answers or cuts the connection (or SEND_AT_MOST). */
function streamChunked(url: string, path: string): Promise<{ status: number | null; sent: number; finished: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    let reply = '';
    let sent = 0;
    let stopped = false;
    let finished = false;
    const done = () => {
      if (stopped) return;
      stopped = true;
      const m = /^HTTP\/1\.1 (\d+)/.exec(reply);
      socket.destroy();
      resolve({ status: m ? Number(m[1]) : null, sent, finished });
    };
    socket.on('data', (d) => {
      reply += d.toString('latin1');
      if (reply.includes('\r\n\r\n')) setTimeout(done, 50); // let the close arrive too
    });
    socket.on('error', () => setTimeout(done, 50));
    socket.on('close', () => setTimeout(done, 50));
    socket.on('connect', async () => {
      socket.write(`POST ${path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`);
      const piece = Buffer.alloc(64 * 1024, 0x20); // spaces: valid JSON whitespace, never a parse error
      const chunk = Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]);
      while (!stopped && !socket.destroyed && sent < SEND_AT_MOST) {
        sent += piece.length;
        if (!socket.write(chunk)) await new Promise((r) => socket.once('drain', r).once('close', r));
      }
      if (!stopped && !socket.destroyed) {
        finished = true;
        socket.write('0\r\n\r\n');
      }
    });
  });
}

describe('class 3: request bodies are cut off while streaming', () => {
  it('a chunked body larger than the limit gets 413 and the connection is closed before the rest is read', async () => {
    const before = serverSockets.length;
    const result = await streamChunked(t.url, '/api/auth/login');
    expect(result.status).toBe(413);
    // The server answered and hung up long before the sender ran out of body to send.
    expect(result.finished).toBe(false);
    expect(result.sent).toBeLessThan(SEND_AT_MOST / 4);
    // What the server itself read from that socket stays near the limit (plus stream buffers).
    const serverSide = serverSockets[before]!;
    expect(serverSide.bytesRead).toBeLessThan(LIMIT + 4 * 1024 * 1024);
  });

  it('a declared Content-Length over the limit is refused before any body is read', async () => {
    const res = await api(t.url).post('/api/auth/login', 'x'.repeat(LIMIT + 1));
    expect(res.status).toBe(413);
    expect(res.body.error).toMatch(/too large/);
  });

  it('a chunked body within the limit is read and parsed as usual', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"email":"nobody@example.com",'));
        c.enqueue(new TextEncoder().encode('"password":"wrong password"}'));
        c.close();
      }
    });
    const res = await fetch(`${t.url}/api/auth/login`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(401);
  });
});
