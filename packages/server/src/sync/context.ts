import type { Actor } from '@pitboard/job-model';
import type { SessionUser } from '../auth/sessions.js';
import type { DocumentAddress } from './documents.js';

/** What `onAuthenticate` learns about a connection; every later hook reads it. */
export interface ConnectionContext {
  user: SessionUser;
  sessionId: string;
  address: DocumentAddress;
  /** When this connection's session was checked (ms since epoch, this instance's clock). */
  authenticatedAt: number;
}

/** Context of the server's own direct connections (API writes, notifications). */
export interface ServerContext {
  server: true;
  actor: Actor;
}

export type SyncContext = Partial<ConnectionContext> & Partial<ServerContext>;
