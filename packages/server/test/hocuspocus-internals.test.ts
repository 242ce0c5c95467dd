/**
 * What src/sync/hocuspocus-internals.ts relies on in Hocuspocus (beyond its documented API),
 * checked against the real library: if an upgrade renames the debouncer's store key, the save
 * mutex, a connection's last-message time or the socket under a connection, this fails.
 * (test/notifications.backpressure.test.ts checks `bufferedBytes` through the whole server.)
 */
import { Hocuspocus, type Document, type WebSocketLike } from '@hocuspocus/server';
import WebSocket, { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bufferedBytes, markAlive, storeAllDocuments, storePending, type ClientConnection } from '../src/sync/hocuspocus-internals.js';
import { authFrame } from './helpers/frames.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A bare Hocuspocus whose stores wait for `release` (so a store can be caught running). */
function slowStoringHocuspocus() {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const stored: string[] = [];
  const hocuspocus = new Hocuspocus({
    debounce: 60_000,
    maxDebounce: 60_000,
    quiet: true,
    extensions: [
      {
        async onStoreDocument({ documentName }: { documentName: string }) {
          await gate;
          stored.push(documentName);
        }
      }
    ]
  });
  return { hocuspocus, stored, release };
}

/** Hocuspocus behind a real WebSocket server on 127.0.0.1, as our server wires it. */
async function servedOverWebSocket(hocuspocus: Hocuspocus) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => server.once('listening', () => r()));
  const accepted: ClientConnection[] = [];
  server.on('connection', (socket) => {
    const connection = hocuspocus.handleConnection(socket as unknown as WebSocketLike, new Request('http://127.0.0.1/collab'));
    accepted.push(connection);
    socket.on('message', (data: Buffer) => connection.handleMessage(new Uint8Array(data)));
    socket.on('close', (code, reason) => connection.handleClose({ code, reason: reason.toString() }));
  });
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  const { port } = server.address() as { port: number };
  /** A client signed in to `documentName` (no auth hook: any token passes), then silent. */
  const client = async (documentName: string) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}`);
    await new Promise((r, e) => socket.once('open', r).once('error', e));
    cleanups.push(() => socket.terminate());
    const closed = new Promise<number>((r) => socket.once('close', (code) => r(code)));
    socket.send(authFrame(documentName, 'token'));
    await vi.waitFor(() => expect(hocuspocus.documents.get(documentName)?.getConnectionsCount()).toBeGreaterThan(0));
    return { socket, closed, connection: accepted.at(-1)! };
  };
  return { client };
}

describe('Hocuspocus internals behind our adapter', () => {
  it('storePending: a store waiting in the debouncer, then running, then done; storeAllDocuments waits for it', async () => {
    const { hocuspocus, stored, release } = slowStoringHocuspocus();
    const direct = await hocuspocus.openDirectConnection('job:a');
    cleanups.push(() => direct.disconnect());
    cleanups.push(release); // first, should the test fail with the store still waiting
    const document = hocuspocus.documents.get('job:a') as Document;
    expect(storePending(hocuspocus, document)).toBe(false);

    await direct.transact((doc) => doc.getMap('job').set('bike', 'Trek'));
    expect(storePending(hocuspocus, document), 'a debounced store is pending').toBe(true);

    const flushed = storeAllDocuments(hocuspocus);
    await vi.waitFor(() => expect(hocuspocus.debouncer.isDebounced(`onStoreDocument-${document.name}`)).toBe(false));
    expect(storePending(hocuspocus, document), 'a running store is pending').toBe(true);
    release();
    await flushed;
    expect(stored).toEqual(['job:a']);
    expect(storePending(hocuspocus, document)).toBe(false);
  });

  it('markAlive: Hocuspocus keeps a silent connection it is told is alive, and times out the other', async () => {
    const hocuspocus = new Hocuspocus({ timeout: 1000, quiet: true });
    const { client } = await servedOverWebSocket(hocuspocus);
    const kept = await client('inbox:kept');
    const silent = await client('inbox:silent');
    const beat = setInterval(() => markAlive(kept.connection), 100);
    cleanups.push(() => clearInterval(beat));
    await silent.closed; // the library's idle timeout
    await new Promise((r) => setTimeout(r, 1500));
    expect(kept.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('bufferedBytes: what a connection has queued for a client that stopped reading', async () => {
    const hocuspocus = new Hocuspocus({ quiet: true });
    const { client } = await servedOverWebSocket(hocuspocus);
    const { socket } = await client('inbox:stalled');
    (socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const connection = hocuspocus.documents.get('inbox:stalled')!.getConnections()[0]!;
    expect(bufferedBytes(connection)).toBe(0);
    const chunk = 'x'.repeat(256 * 1024);
    for (let i = 0; i < 200 && bufferedBytes(connection) === 0; i++) {
      connection.sendStateless(chunk);
      await new Promise((r) => setImmediate(r));
    }
    expect(bufferedBytes(connection)).toBeGreaterThan(0);
  });
});
