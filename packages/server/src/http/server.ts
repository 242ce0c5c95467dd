/**
 * One HTTP port for everything (README, Configure it): `/collab` WebSocket upgrades go to
 * Hocuspocus (through crossws, as Hocuspocus' own Server does), the API and `/healthz` to the
 * Router, every other request to `fallback` (the SvelteKit handler in production). Responses
 * are compressed when the client accepts it (compress.ts).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebSocketLike } from '@hocuspocus/server';
import crossws from 'crossws/adapters/node';
import type { Pitboard } from '../pitboard.js';
import { markAlive, type ClientConnection } from '../sync/hocuspocus-internals.js';
import { compressResponse } from './compress.js';
import { clientAddress } from './client-address.js';
import { Keepalive } from './keepalive.js';
import { sendResponse, toRequest } from './node-adapter.js';
import { API_CSP, applySecurityHeaders, securityHeaders } from './security-headers.js';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  /** Graceful stop: refuse new work, close connections, store every document, close the database. */
  stop(): Promise<void>;
}

/** A request handler for the core's HTTP routes; calls `next()` for anything else. */
export function coreHttpHandler(pitboard: Pitboard, origin: () => string): NodeHandler {
  const headers = securityHeaders(pitboard.config.publicUrl);
  return (req, res, next) => {
    applySecurityHeaders(res, headers); // for the pages too: they are served after this
    const request = toRequest(req, origin());
    pitboard.api
      .handle(request, clientAddress(req, pitboard.config.trustProxy))
      .then((response) => {
        if (!response) return next();
        res.setHeader('content-security-policy', API_CSP);
        return sendResponse(res, response);
      })
      .catch((error) => {
        pitboard.log.error('unhandled request error', { error });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"error":"internal error"}');
      });
  };
}

/** Handles `/collab` upgrades; returns false for any other path so others may take it. */
export function collabUpgradeHandler(pitboard: Pitboard) {
  const keepalive = new Keepalive(pitboard.config.keepaliveMs);
  // Each socket's Hocuspocus connection, found again from crossws' peer in later hooks.
  const connections = new WeakMap<object, ClientConnection>();
  const ws = crossws({
    serverOptions: { maxPayload: pitboard.config.maxMessageBytes },
    hooks: {
      open(peer) {
        const request = peer.request as Request;
        // The guard closes sockets that do not sign in soon enough (socket-guard.ts).
        pitboard.sockets.opened(request, (code, reason) => peer.close(code, reason));
        const connection = pitboard.hocuspocus.handleConnection(peer.websocket as unknown as WebSocketLike, request);
        connections.set(peer, connection);
        keepalive.add(peer);
      },
      message(peer, message) {
        const hp = connections.get(peer);
        const data = message.uint8Array();
        // The answer to our Ping: the client is alive (refreshes Hocuspocus' idle timeout).
        if (Keepalive.isPong(data)) {
          if (hp) markAlive(hp);
          return;
        }
        const verdict = pitboard.sockets.received(peer.request as Request, data, (code, reason) => peer.close(code, reason));
        if (verdict === 'pass') hp?.handleMessage(data);
        // A dropped awareness frame still shows the client is alive (Hocuspocus' idle timeout).
        else if (verdict === 'awareness' && hp) markAlive(hp);
      },
      close(peer, event) {
        keepalive.remove(peer);
        pitboard.sockets.closed(peer.request as Request);
        connections.get(peer)?.handleClose({
          code: event.code ?? 1000,
          reason: event.reason ?? ''
        });
      },
      error(_peer, error) {
        pitboard.log.warn('websocket error', { error });
      }
    }
  });
  return (req: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    const path = (req.url ?? '').split('?')[0]!.replace(/\/+$/, '');
    if (path !== '/collab') return false;
    if (!pitboard.sockets.admitUpgrade(socket)) {
      // MAX_CONNECTIONS reached: refused before the handshake, as a plain HTTP answer.
      pitboard.log.debug('websocket refused: too many connections', { open: pitboard.sockets.open });
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 5\r\nContent-Type: text/plain\r\nContent-Length: 29\r\n\r\ntoo many connections, retry\r\n');
      return true;
    }
    ws.handleUpgrade(req, socket, head);
    return true;
  };
}

export async function startServer(pitboard: Pitboard, options: { fallback?: NodeHandler } = {}): Promise<RunningServer> {
  const { config, log } = pitboard;
  let origin = config.publicUrl;
  const core = coreHttpHandler(pitboard, () => origin);
  const fallback: NodeHandler =
    options.fallback ??
    ((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"not found"}');
    });
  // Compression wraps every response, the API's and the fallback's alike (see compress.ts).
  const compression = { onError: (error: Error) => log.warn('compression failed', { error }) };
  const httpServer = http.createServer((req, res) => {
    compressResponse(req, res, compression);
    core(req, res, () => fallback(req, res, () => undefined));
  });
  const upgrade = collabUpgradeHandler(pitboard);
  httpServer.on('upgrade', (req, socket, head) => {
    if (!upgrade(req, socket, head)) socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  if (config.port === 0) origin = `http://${config.host}:${port}`;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  log.info('listening', { url, port, publicUrl: config.publicUrl, storage: pitboard.storage.dialect });

  let stopping: Promise<void> | null = null;
  return {
    url,
    port,
    httpServer,
    stop: () =>
      (stopping ??= (async () => {
        log.info('stopping');
        httpServer.close();
        pitboard.hocuspocus.closeConnections();
        httpServer.closeAllConnections();
        await pitboard.close();
        log.info('stopped');
      })())
  };
}
