/** Sessions: one per sign-in, read with their user (docs/security.md). */
import type { Kysely } from 'kysely';
import { bytes } from './bytes.js';
import type { Database } from './schema.js';
import { toUser, type UserRow } from './users.js';

export interface SessionRow {
  id: string;
  userId: string;
  secretHash: Uint8Array;
  createdAt: string;
  lastVerifiedAt: string;
}

export interface SessionWithUser {
  session: SessionRow;
  user: UserRow;
}

export interface SessionStore {
  createSession(session: SessionRow): Promise<void>;
  getSession(id: string): Promise<SessionWithUser | null>;
  /** `getSession` for many ids in one query; ids with no session are absent from the map. */
  getSessions(ids: string[]): Promise<Map<string, SessionWithUser>>;
  touchSession(id: string, lastVerifiedAt: string): Promise<void>;
  deleteSession(id: string): Promise<void>;
  deleteUserSessions(userId: string): Promise<void>;
}

export function sessionStore(db: Kysely<Database>): SessionStore {
  /** Sessions joined with their users (the user's own columns, the session's renamed). */
  const withUsers = () =>
    db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .select(['sessions.id as session_id', 'sessions.secret_hash', 'sessions.created_at as session_created_at', 'sessions.last_verified_at']);
  type Joined = Awaited<ReturnType<ReturnType<typeof withUsers>['executeTakeFirstOrThrow']>>;
  const toSessionWithUser = (r: Joined): SessionWithUser => ({
    session: { id: r.session_id, userId: r.id, secretHash: bytes(r.secret_hash), createdAt: r.session_created_at, lastVerifiedAt: r.last_verified_at },
    user: toUser(r)
  });

  return {
    async createSession(s) {
      await db
        .insertInto('sessions')
        .values({ id: s.id, user_id: s.userId, secret_hash: s.secretHash, created_at: s.createdAt, last_verified_at: s.lastVerifiedAt })
        .execute();
    },

    async getSession(id) {
      const r = await withUsers().where('sessions.id', '=', id).executeTakeFirst();
      return r ? toSessionWithUser(r) : null;
    },

    async getSessions(ids) {
      const found = new Map<string, SessionWithUser>();
      for (let i = 0; i < ids.length; i += 500) {
        for (const r of await withUsers().where('sessions.id', 'in', ids.slice(i, i + 500)).execute()) found.set(r.session_id, toSessionWithUser(r));
      }
      return found;
    },

    async touchSession(id, lastVerifiedAt) {
      await db.updateTable('sessions').set({ last_verified_at: lastVerifiedAt }).where('id', '=', id).execute();
    },

    async deleteSession(id) {
      await db.deleteFrom('sessions').where('id', '=', id).execute();
    },

    async deleteUserSessions(userId) {
      await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    }
  };
}
