/**
 * One WebSocket per tab to `/collab`, shared by every document the page opens (Hocuspocus
 * multiplexes them). Browsers authenticate with the HttpOnly session cookie sent on the
 * upgrade, so providers pass the placeholder token `cookie` (docs/sync.md).
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import type * as Y from 'yjs';

export type ConnectionState = 'connecting' | 'connected' | 'offline';

let socket: HocuspocusProviderWebsocket | null = null;
const listeners = new Set<(state: ConnectionState) => void>();
let state: ConnectionState = 'connecting';

function setState(next: ConnectionState) {
  state = next;
  for (const l of listeners) l(next);
}

export function collabSocket(): HocuspocusProviderWebsocket {
  if (socket) return socket;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
  socket = new HocuspocusProviderWebsocket({
    url,
    // Back off up to 10 s between attempts; never give up (mechanics go offline for minutes).
    delay: 500,
    factor: 1.7,
    maxDelay: 10_000,
    maxAttempts: 0,
    onStatus: ({ status }) => setState(status === 'connected' ? 'connected' : navigator.onLine ? 'connecting' : 'offline')
  });
  // The browser knows first when the network is back: retry at once instead of waiting.
  window.addEventListener('online', () => {
    setState('connecting');
    void socket?.connect();
  });
  window.addEventListener('offline', () => setState('offline'));
  return socket;
}

/** Follows the connection state; returns the unsubscribe function. */
export function onConnectionState(listener: (state: ConnectionState) => void): () => void {
  listeners.add(listener);
  listener(state);
  return () => listeners.delete(listener);
}

/** A provider for `name` on the shared socket. */
export function provide(name: string, document: Y.Doc, handlers: Partial<ConstructorParameters<typeof HocuspocusProvider>[0]> = {}) {
  const provider = new HocuspocusProvider({
    websocketProvider: collabSocket(),
    name,
    document,
    token: 'cookie',
    ...handlers
  } as ConstructorParameters<typeof HocuspocusProvider>[0]);
  provider.attach();
  return provider;
}
