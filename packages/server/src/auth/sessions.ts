/**
 * Sessions the Lucia way: a token `<id>.<secret>` is given to the client once; the server keeps
 * the id and SHA-256(secret), looks sessions up by id and compares hashes in constant time.
 * Sliding expiry: a session unused for `inactivityMs` ends; use bumps `lastVerifiedAt` at most
 * once per `activityCheckMs`; no session lives past `absoluteMs`.
 */
import type { Config } from '../config.js';
import { UnauthorizedError } from '../errors.js';
import type { Storage, UserRow } from '../storage/index.js';
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

export class Sessions {
  constructor(
    private readonly storage: Storage,
    private readonly limits: Config['session']
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
    if (!token) throw new UnauthorizedError('not signed in');
    const dot = token.indexOf('.');
    if (dot <= 0 || dot === token.length - 1 || token.length > 200) throw new UnauthorizedError('invalid session token');
    const id = token.slice(0, dot);
    const found = await this.storage.getSession(id);
    if (!found || !constantTimeEqual(sha256Bytes(token.slice(dot + 1)), found.session.secretHash)) {
      throw new UnauthorizedError('invalid session token');
    }
    const now = Date.now();
    const last = Date.parse(found.session.lastVerifiedAt);
    if (now - last >= this.limits.inactivityMs || now - Date.parse(found.session.createdAt) >= this.limits.absoluteMs) {
      await this.storage.deleteSession(id);
      throw new UnauthorizedError('session expired');
    }
    if (now - last >= this.limits.activityCheckMs) {
      await this.storage.touchSession(id, new Date(now).toISOString());
    }
    const { user } = found;
    return { sessionId: id, user: { id: user.id, name: user.name, email: user.email, role: user.role } };
  }

  async invalidate(sessionId: string): Promise<void> {
    await this.storage.deleteSession(sessionId);
  }

  /** Sign out everywhere. */
  async invalidateUser(userId: string): Promise<void> {
    await this.storage.deleteUserSessions(userId);
  }
}
