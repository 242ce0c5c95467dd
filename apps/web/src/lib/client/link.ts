/**
 * The seam between a replica and the server: a `Link` carries one document's updates and
 * reports what the server has. The browser uses the Hocuspocus link (connection.ts); unit
 * tests use an in-memory one.
 */
import { parseCloseReason, type CloseReason } from '@pitboard/job-model';
import * as decoding from 'lib0/decoding';
import type * as Y from 'yjs';

export interface LinkHooks {
  /** The server's state vector (its SyncStep1): exactly which updates it has. */
  onServerState(stateVector: Uint8Array): void;
  /** The server acknowledged an update (a hint to ask for its state vector again). */
  onAck(): void;
  /** The server's content is applied to the document (the handshake finished). */
  onSynced(): void;
  onAuthenticated(): void;
  /**
   * The server refused us at connect (permission-denied): not signed in, session expired, not
   * yours. `reason` as it arrived: read it with `parseCloseReason` / `closeKind`.
   */
  onAuthFailed(reason: string): void;
  /** The server closed the document (a refused update) with a reason (as `onAuthFailed`). */
  onRefused(reason: string): void;
  onConnected(connected: boolean): void;
}

export interface Link {
  /** The transaction origin of updates the link applies from the server. */
  readonly origin: unknown;
  /** Sends a local update if the document is live on the server; otherwise the next handshake carries it. */
  send(update: Uint8Array): void;
  /** Asks the server for its state vector (answered through `onServerState`). */
  verify(): void;
  /**
   * Stops syncing the document. With `forget`, nothing this link sent or queued may reach the
   * server afterwards as this document (a discard: the edits it carried are being thrown away).
   */
  destroy(options?: { forget?: boolean }): void;
}

export type Connect = (name: string, doc: Y.Doc, hooks: LinkHooks) => Link;

/**
 * What a refusal or close means for this device, decided on the reason's code (protocol.ts in
 * @pitboard/job-model), never on its words:
 * - `passing`: passes by itself — the per-connection rate limit, an inbox too far behind, an
 *   update that arrived before one it builds on (e.g. sent just as the document was closed, and
 *   replayed when it opened again). Nothing is wrong with the edits: the document is opened
 *   again shortly, and the handshake sends whatever the server lacks, in order.
 * - `sign-in`: the session is gone; edits wait for the user to sign in again.
 * - `lost-access`: the user may not open the job any more (docs/sync.md, 4403/4404).
 * - `refused`: anything else; the edits wait for the user (discard).
 * A code this client does not know (another version) is judged by its close code.
 */
export type CloseKind = 'passing' | 'sign-in' | 'lost-access' | 'refused';

export function closeKind(reason: string | CloseReason): CloseKind {
  const { code, closeCode } = typeof reason === 'string' ? parseCloseReason(reason) : reason;
  switch (code) {
    case 'rate_limited':
    case 'too_far_behind':
    case 'missing_dependency':
      return 'passing';
    case 'not_signed_in':
    case 'invalid_session':
    case 'session_expired':
    case 'session_ended':
    case 'unauthorized':
      return 'sign-in';
    case 'not_assigned':
    case 'reassigned':
    case 'no_such_job':
      return 'lost-access';
    case 'unknown':
      if (closeCode === 4429 || closeCode === 4008) return 'passing';
      if (closeCode === 4401) return 'sign-in';
      return 'refused';
    default:
      // Not the rest of the session's 4401s: `auth_deadline` closes a socket the provider
      // simply opens again, signing in as before.
      return 'refused';
  }
}

/** Hocuspocus message types (provider's MessageType) and y-protocols sync subtypes used here. */
export const MESSAGE_SYNC = 0;
export const MESSAGE_SYNC_STATUS = 8;
export const SYNC_STEP_1 = 0;

export type ParsedFrame = { kind: 'server-state'; stateVector: Uint8Array } | { kind: 'ack' } | { kind: 'other' };

/**
 * What a frame from the server tells the replica: `[varString name][varUint type]…`, read with
 * lib0's decoder, as the provider reads the same frame right after. A frame it cannot read
 * (truncated, a name that is not UTF-8) is not ours to judge: the provider handles it.
 */
export function parseFrame(data: ArrayBuffer | Uint8Array): ParsedFrame {
  try {
    const decoder = decoding.createDecoder(data instanceof Uint8Array ? data : new Uint8Array(data));
    decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC && decoding.readVarUint(decoder) === SYNC_STEP_1) {
      // A copy: the decoder's view shares the frame's buffer.
      return { kind: 'server-state', stateVector: decoding.readVarUint8Array(decoder).slice() };
    }
    if (type === MESSAGE_SYNC_STATUS) return { kind: 'ack' };
  } catch {
    /* not ours to judge */
  }
  return { kind: 'other' };
}
