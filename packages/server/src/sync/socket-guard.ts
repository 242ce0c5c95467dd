/**
 * What a `/collab` socket may cost before it signs in (docs/security.md, class 9), and the
 * frames the server never takes (awareness: Pitboard has no presence).
 *
 * Hocuspocus queues every frame a socket sends for a document until that document has
 * authenticated (up to 5 MiB per socket) and closes a socket that never does only after one to
 * two idle timeouts (2 minutes): 400 such sockets held 2 GB. Here, per socket:
 * - at most `maxConnections` sockets at once: the next upgrade is answered 503;
 * - until one of its documents has authenticated, a socket may send `preAuthMaxBytes` in all,
 *   and must authenticate within `authDeadlineMs`; otherwise it is closed.
 * Frames are counted as they arrive, before Hocuspocus sees (or queues) them.
 */
import type { Duplex } from 'node:stream';
import { closeEvent } from '@pitboard/job-model';
import * as decoding from 'lib0/decoding';

export interface SocketLimits {
  /** Open `/collab` sockets allowed at once (`MAX_CONNECTIONS`). */
  maxConnections: number;
  /** Bytes a socket may send before any of its documents has authenticated (`PREAUTH_MAX_BYTES`). */
  preAuthMaxBytes: number;
  /** Time a socket has to authenticate a first document (`AUTH_DEADLINE_SECONDS`). */
  authDeadlineMs: number;
}

/**
 * Close events of the socket itself (documented in docs/sync.md), with their shared codes: the
 * web app tells them from an expired session by code, as the provider simply reconnects and
 * signs in again.
 */
export const PREAUTH_TOO_MUCH = closeEvent('preauth_too_much');
export const AUTH_DEADLINE = closeEvent('auth_deadline');

/** Hocuspocus message types that carry awareness (y-protocols), which Pitboard never uses. */
const AWARENESS = 1;
const QUERY_AWARENESS = 3;

interface SocketState {
  bytes: number;
  authenticated: boolean;
  /** Closed for its budget: frames still in flight are dropped. */
  refused: boolean;
  timer: NodeJS.Timeout | null;
}

/** What to do with a frame: hand it to Hocuspocus, or drop it (an awareness frame; a socket being closed). */
export type Verdict = 'pass' | 'awareness' | 'refused';

export class SocketGuard {
  /** Sockets upgraded and not closed yet. */
  open = 0;
  upgradesRefused = 0;
  closedBeforeSignIn = 0;
  awarenessDropped = 0;
  private unauthenticated = 0;
  /** Keyed by the upgrade's Request, which Hocuspocus hands to `onAuthenticate` as well. */
  private readonly sockets = new WeakMap<Request, SocketState>();

  constructor(private readonly limits: SocketLimits) {}

  /** Sockets open that have not authenticated any document yet (the /metrics gauge). */
  get unauthenticatedSockets(): number {
    return this.unauthenticated;
  }

  /** Whether an upgrade may proceed; counts the socket until its TCP connection closes. */
  admitUpgrade(socket: Duplex): boolean {
    if (this.open >= this.limits.maxConnections) {
      this.upgradesRefused += 1;
      return false;
    }
    this.open += 1;
    socket.once('close', () => (this.open -= 1));
    return true;
  }

  /** A socket opened; `close` ends it (the deadline and the byte budget use it). */
  opened(request: Request, close: (code: number, reason: string) => void): void {
    const state: SocketState = { bytes: 0, authenticated: false, refused: false, timer: null };
    this.unauthenticated += 1;
    state.timer = setTimeout(() => {
      if (state.authenticated || state.refused) return;
      this.closedBeforeSignIn += 1;
      close(AUTH_DEADLINE.code, AUTH_DEADLINE.reason);
    }, this.limits.authDeadlineMs);
    state.timer.unref();
    this.sockets.set(request, state);
  }

  /** A frame arrived: may it reach Hocuspocus? Over the pre-authentication budget, `close` is called. */
  received(request: Request, data: Uint8Array, close: (code: number, reason: string) => void): Verdict {
    const state = this.sockets.get(request);
    if (state?.refused) return 'refused';
    if (state && !state.authenticated) {
      state.bytes += data.byteLength;
      if (state.bytes > this.limits.preAuthMaxBytes) {
        state.refused = true;
        this.closedBeforeSignIn += 1;
        close(PREAUTH_TOO_MUCH.code, PREAUTH_TOO_MUCH.reason);
        return 'refused';
      }
    }
    if (isAwareness(data)) {
      this.awarenessDropped += 1;
      return 'awareness';
    }
    return 'pass';
  }

  /** A document on this socket authenticated: the socket is signed in for good. */
  authenticated(request: Request): void {
    const state = this.sockets.get(request);
    if (!state || state.authenticated) return;
    state.authenticated = true;
    this.unauthenticated -= 1;
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
  }

  closed(request: Request): void {
    const state = this.sockets.get(request);
    if (!state) return;
    if (!state.authenticated) this.unauthenticated -= 1;
    if (state.timer) clearTimeout(state.timer);
    this.sockets.delete(request);
  }
}

/** The frame's message type is awareness (or a query for it). Undecodable frames pass on to Hocuspocus, which refuses them. */
function isAwareness(data: Uint8Array): boolean {
  try {
    const decoder = decoding.createDecoder(data);
    decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    return type === AWARENESS || type === QUERY_AWARENESS;
  } catch {
    return false;
  }
}
