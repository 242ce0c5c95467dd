/**
 * Sessions the Lucia way: a token `<id>.<secret>` is given to the client once; the server keeps
 * the id and SHA-256(secret), looks sessions up by id and compares hashes in constant time.
 * Sliding expiry: a session unused for `inactivityMs` ends; use bumps `lastVerifiedAt` at most
 * once per `activityCheckMs`; no session lives past `absoluteMs`.
 */
import type { Config } from '../config.js';
import { UnauthorizedError } from '../errors.js';
import type { SessionRow, Storage, UserRow } from '../storage/index.js';
import { constantTimeEqual, randomString, sha256Bytes } from './tokens.js';

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: UserRow['role'];
}

export interface ValidSession {
  sessionId: string;
  user: SessionUser;
}

/**
 * Sessions that just ended, for whoever holds connections opened with them (sync/session-guard.ts):
 * by id, or every session of a user (sign-out everywhere, a role change, removal).
 */
export interface SessionsEnded {
  sessionIds?: string[];
  userId?: string;
  reason: string;
}

export class Sessions {
  constructor(
    private readonly storage: Storage,
    private readonly limits: Config['session'],
    private readonly onEnded: (ended: SessionsEnded) => void = () => {}
  ) {}

  async create(userId: string): Promise<{ token: string; sessionId: string }> {
    const id = randomString();
    const secret = randomString(20);
    const now = new Date().toISOString();
    await this.storage.createSession({ id, userId, secretHash: sha256Bytes(secret), createdAt: now, lastVerifiedAt: now });
    return { token: `${id}.${secret}`, sessionId: id };
  }

  /** The session and user for a token, or an UnauthorizedError saying why not. */
  async validate(token: string | null | undefined): Promise<ValidSession> {
    if (!token) throw new UnauthorizedError('not signed in', 'not_signed_in');
    const dot = token.indexOf('.');
    if (dot <= 0 || dot === token.length - 1 || token.length > 200) throw new UnauthorizedError('invalid session token', 'invalid_session');
    const id = token.slice(0, dot);
    const found = await this.storage.getSession(id);
    if (!found || !constantTimeEqual(sha256Bytes(token.slice(dot + 1)), found.session.secretHash)) {
      throw new UnauthorizedError('invalid session token', 'invalid_session');
    }
    const now = Date.now();
    const last = Date.parse(found.session.lastVerifiedAt);
    if (this.expired(found.session, now)) {
      await this.invalidate(id, 'session expired');
      throw new UnauthorizedError('session expired', 'session_expired');
    }
    if (now - last >= this.limits.activityCheckMs) {
      await this.storage.touchSession(id, new Date(now).toISOString());
    }
    const { user } = found;
    return { sessionId: id, user: { id: user.id, name: user.name, email: user.email, role: user.role } };
  }

  /** Whether a stored session is past its inactivity or absolute lifetime. */
  expired(session: SessionRow, now = Date.now()): boolean {
    return now - Date.parse(session.lastVerifiedAt) >= this.limits.inactivityMs || now - Date.parse(session.createdAt) >= this.limits.absoluteMs;
  }

  /** Ends one session, here and on every open connection that uses it. */
  async invalidate(sessionId: string, reason = 'signed out'): Promise<void> {
    await this.storage.deleteSession(sessionId);
    this.onEnded({ sessionIds: [sessionId], reason });
  }

  /** Sign out everywhere (also after a role change or removal: the user signs in again as what they now are). */
  async invalidateUser(userId: string, reason = 'signed out everywhere'): Promise<void> {
    await this.storage.deleteUserSessions(userId);
    this.onEnded({ userId, reason });
  }
}
