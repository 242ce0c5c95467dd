// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the declaration of http_ece (no types on npm) must reach every test that imports this helper
/// <reference path="./http-ece.d.ts" />
/**
 * A push service of our own for tests: an HTTP server on 127.0.0.1 that accepts what Pitboard
 * sends to a subscription's endpoint (outside our system, so a stand-in), and subscriptions whose
 * keys the test holds, so it can decrypt each message (RFC 8291, aes128gcm) and read the payload.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decrypt } from 'http_ece';

export interface ReceivedPush {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface PushEndpoint {
  url: string;
  received: ReceivedPush[];
  /** Answer pushes to `path` with this status (e.g. 410: the subscription is gone). */
  answer(path: string, status: number): void;
  close(): Promise<void>;
}

export async function startPushEndpoint(): Promise<PushEndpoint> {
  const received: ReceivedPush[] = [];
  const statuses = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(statuses.get(req.url ?? '') ?? 201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answer: (path, status) => statuses.set(path, status),
    close: () => new Promise((resolve) => server.close(() => resolve()))
  };
}

/** A browser's subscription, as `PushSubscription.toJSON()` gives it, with the private half kept. */
export interface TestSubscription {
  json: { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
  open(message: ReceivedPush): unknown;
}

export function testSubscription(endpoint: string): TestSubscription {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = crypto.randomBytes(16).toString('base64url');
  return {
    json: { endpoint, expirationTime: null, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth } },
    open: (message) => JSON.parse(decrypt(message.body, { version: 'aes128gcm', privateKey: ecdh, authSecret: auth }).toString('utf8'))
  };
}
