/**
 * One WebSocket per tab to `/collab`, shared by every document the page opens (Hocuspocus
 * multiplexes them). Browsers authenticate with the HttpOnly session cookie sent on the
 * upgrade, so providers pass the placeholder token `cookie` (docs/sync.md).
 *
 * Reconnects by itself with exponential backoff (jitter, capped at 15 s, never gives up); the
 * browser's `online` event retries at once, its `offline` event closes the socket (a socket
 * can outlive the network in some browsers and look alive for a long time).
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import type * as Y from 'yjs';
import { closeKind, parseFrame, type Link, type LinkHooks } from './link';
import { skipCloseOnDetach } from './provider-internals';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

let socket: HocuspocusProviderWebsocket | null = null;
const listeners = new Set<(state: ConnectionState) => void>();
let state: ConnectionState = 'connecting';
let everConnected = false;

function setState(next: ConnectionState) {
  if (next === 'connected') everConnected = true;
  if (state === next) return;
  state = next;
  for (const l of listeners) l(next);
}

function downState(): ConnectionState {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return 'offline';
  return everConnected ? 'reconnecting' : 'connecting';
}

export function collabSocket(): HocuspocusProviderWebsocket {
  if (socket) return socket;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
  const online = navigator.onLine !== false;
  socket = new HocuspocusProviderWebsocket({
    url,
    autoConnect: online,
    // Exponential backoff with jitter, 0.5 s → 15 s; never give up (mechanics go offline for minutes).
    delay: 500,
    initialDelay: 0,
    factor: 1.8,
    minDelay: 500,
    maxDelay: 15_000,
    jitter: true,
    maxAttempts: 0,
    onStatus: ({ status }) => setState(status === 'connected' ? 'connected' : downState())
  });
  if (!online) setState('offline');
  // The browser knows first when the network is back: retry at once instead of waiting.
  window.addEventListener('online', () => {
    setState(downState());
    if (socket) connectNow(socket);
  });
  window.addEventListener('offline', () => {
    socket?.disconnect();
    setState('offline');
  });
  return socket;
}

/** The current state, without subscribing. */
export function connectionState(): ConnectionState {
  return state;
}

/** Follows the connection state; returns the unsubscribe function. */
export function onConnectionState(listener: (state: ConnectionState) => void): () => void {
  listeners.add(listener);
  listener(state);
  return () => listeners.delete(listener);
}

/**
 * Opens a fresh socket, e.g. after signing in again: the upgrade request then carries the new
 * session cookie and every attached document authenticates again.
 */
export function reconnectNow(): void {
  if (!socket) return;
  socket.disconnect();
  connectNow(socket);
}

/**
 * Connects now. A socket we just closed still reports `connected` until its close event, and
 * `connect()` ignores a connected socket: wait for the close, then connect.
 */
function connectNow(s: HocuspocusProviderWebsocket): void {
  if (navigator.onLine === false) return;
  if (s.status !== 'connected') {
    void s.connect();
    return;
  }
  if (s.shouldConnect) return; // alive
  const once = () => {
    s.off('close', once);
    if (navigator.onLine !== false) void s.connect();
  };
  s.on('close', once);
}

/** A provider for `name` on the shared socket. */
export function provide(name: string, document: Y.Doc, handlers: Partial<ConstructorParameters<typeof HocuspocusProvider>[0]> = {}) {
  const provider = new HocuspocusProvider({
    websocketProvider: collabSocket(),
    name,
    document,
    token: 'cookie',
    awareness: null, // no presence in Pitboard: no awareness frames (each costs the server a scratch Y.Doc)
    ...handlers
  } as ConstructorParameters<typeof HocuspocusProvider>[0]);
  provider.attach();
  reopenAfterPassingClose(provider);
  return provider;
}

/**
 * When the server closes the document for a reason that passes (`closeKind` 'passing'), opens it again
 * on the same socket after a pause (1 s, doubling to 30 s, with jitter; back to 1 s once synced):
 * nothing else would, short of a new socket, and its edits would wait unsent meanwhile.
 */
function reopenAfterPassingClose(provider: HocuspocusProvider): void {
  const first = 1000;
  let delay = first;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let destroyed = false;
  provider.on('close', ({ event }: { event?: { reason?: string } }) => {
    if (!event?.reason || closeKind(event.reason) !== 'passing' || timer) return;
    timer = setTimeout(() => {
      timer = null;
      if (!destroyed) reopen(provider);
    }, delay * (0.5 + Math.random()));
    delay = Math.min(delay * 2, 30_000);
  });
  provider.on('synced', () => (delay = first));
  provider.on('destroy', () => {
    destroyed = true;
    if (timer) clearTimeout(timer);
  });
}

/**
 * Authenticates and syncs the document again on the same socket. Without the usual Close
 * first: the server holds no connection for the document, so it would queue the Close and
 * replay it into the new authentication, closing the document at once (docs/sync.md).
 */
function reopen(provider: HocuspocusProvider): void {
  skipCloseOnDetach(provider);
  provider.detach();
  provider.attach();
}

/**
 * A replica's link over Hocuspocus. Local updates are not sent by the provider's own update
 * listener: the replica sends each one after it is in IndexedDB (`send`). The server's
 * SyncStep1 (its state vector) is read from the raw frames, so the replica can count exactly
 * which local edits the server has, independent of the provider's `unsyncedChanges` counter.
 */
export function hocuspocusLink(name: string, document: Y.Doc, hooks: LinkHooks): Link {
  let destroyed = false;
  // The server holds no connection for this document on the socket: it refused us (at connect,
  // or closed the document over a refused update) and has not accepted us since.
  let refusedByServer = false;
  const provider = new HocuspocusProvider({
    websocketProvider: collabSocket(),
    name,
    document,
    token: 'cookie',
    awareness: null,
    onMessage: ({ event }: { event: MessageEvent }) => {
      const frame = parseFrame(event.data as ArrayBuffer);
      // Let the provider apply the frame first (it runs right after this listener).
      if (frame.kind === 'server-state') queueMicrotask(() => !destroyed && hooks.onServerState(frame.stateVector));
      else if (frame.kind === 'ack') queueMicrotask(() => !destroyed && hooks.onAck());
    },
    onAuthenticated: () => {
      refusedByServer = false;
      hooks.onAuthenticated();
    },
    onSynced: ({ state }: { state: boolean }) => state && !destroyed && hooks.onSynced(),
    onAuthenticationFailed: ({ reason }: { reason: string }) => {
      refusedByServer = true;
      hooks.onAuthFailed(reason);
    },
    onClose: ({ event }: { event: { code?: number; reason?: string } }) => {
      if (!event?.reason || event.reason === 'provider_initiated') return;
      refusedByServer = true;
      hooks.onRefused(event.reason);
    },
    onStatus: ({ status }: { status: string }) => hooks.onConnected(status === 'connected'),
    onDisconnect: () => hooks.onConnected(false)
  } as unknown as ConstructorParameters<typeof HocuspocusProvider>[0]);
  document.off('update', provider.boundDocumentUpdateHandler);
  provider.attach();
  reopenAfterPassingClose(provider);
  if (collabSocket().status === 'connected') hooks.onConnected(true);
  return {
    origin: provider,
    send(update) {
      // Only onto an open socket. The provider stays "authenticated" until the socket's close
      // event, and a frame sent meanwhile waits in the socket's queue for the next connection,
      // where it reaches the server before the document is authenticated again: refused then,
      // the server keeps it and replays it into the next authentication of the document on that
      // socket. The handshake after authenticating carries every edit the server lacks anyway.
      if (provider.isAuthenticated && isOpen(collabSocket())) provider.documentUpdateHandler(update, null);
    },
    verify() {
      if (provider.isAuthenticated) provider.forceSync();
    },
    destroy({ forget = false } = {}) {
      destroyed = true;
      // Detaching sends the server a Close for the document. Where the server has no connection
      // for it (it refused us; or the socket is down and the Close would wait for the next one),
      // Hocuspocus 4 queues that Close for the document and replays it as soon as the next
      // provider of the same name authenticates, closing it at once: a job re-opened after a
      // discard (assigned back to this user) would never sync. So no Close then.
      if (refusedByServer || collabSocket().status !== 'connected') skipCloseOnDetach(provider);
      provider.destroy();
      // Frames this document sent that the server did not take (it had refused or closed the
      // document) wait on the server's side of the socket for the document's next
      // authentication there, e.g. the job re-opened after a discard, and would bring the
      // discarded edits back. A new socket leaves them behind; every other document re-syncs.
      if (forget && refusedByServer) reconnectNow();
    }
  };
}

function isOpen(s: HocuspocusProviderWebsocket): boolean {
  return s.status === 'connected' && s.webSocket?.readyState === 1; // WebSocket.OPEN
}
