/** Users: staff and customers, with their role. */
import type { Kysely, Selectable } from 'kysely';
import type { Role } from '@pitboard/job-model';
import { ConflictError } from '../errors.js';
import type { Database, UsersTable } from './schema.js';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string | null;
  createdAt: string;
}

export type PublicUser = Omit<UserRow, 'passwordHash' | 'createdAt'>;

export interface UserStore {
  createUser(user: UserRow): Promise<void>;
  getUserById(id: string): Promise<UserRow | null>;
  getUserByEmail(email: string): Promise<UserRow | null>;
  listUsers(role?: Role): Promise<UserRow[]>;
  countUsers(): Promise<number>;
  /** Changes a user's role; false for an unknown user. */
  setUserRole(id: string, role: Role): Promise<boolean>;
  /**
   * Deletes a user with their sessions and notifications (one transaction); false for an
   * unknown user. Throws ConflictError while jobs name them as customer or assignee.
   */
  deleteUser(id: string): Promise<boolean>;
}

/** Inserts a user in `db` (a transaction, when creating a job's new customer with it). */
export async function insertUser(db: Kysely<Database>, user: UserRow): Promise<void> {
  await db
    .insertInto('users')
    .values({ id: user.id, email: user.email, name: user.name, role: user.role, password_hash: user.passwordHash, created_at: user.createdAt })
    .execute();
}

export function toUser(r: Selectable<UsersTable>): UserRow {
  return { id: r.id, email: r.email, name: r.name, role: r.role, passwordHash: r.password_hash, createdAt: r.created_at };
}

export function userStore(db: Kysely<Database>): UserStore {
  return {
    createUser: (user) => insertUser(db, user),

    async getUserById(id) {
      const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toUser(r) : null;
    },

    async getUserByEmail(email) {
      const r = await db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
      return r ? toUser(r) : null;
    },

    async listUsers(role) {
      let q = db.selectFrom('users').selectAll().orderBy('name');
      if (role) q = q.where('role', '=', role);
      return (await q.execute()).map(toUser);
    },

    async countUsers() {
      const r = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async setUserRole(id, role) {
      const r = await db.updateTable('users').set({ role }).where('id', '=', id).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    deleteUser(id) {
      return db.transaction().execute(async (trx) => {
        const jobs = await trx
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where((eb) => eb.or([eb('customer_id', '=', id), eb('assignee_id', '=', id)]))
          .executeTakeFirstOrThrow();
        if (Number(jobs.n) > 0) {
          throw new ConflictError(`${Number(jobs.n)} job(s) name this user as customer or mechanic; reassign them first`);
        }
        await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
        await trx.deleteFrom('notifications').where('user_id', '=', id).execute();
        const r = await trx.deleteFrom('users').where('id', '=', id).executeTakeFirst();
        return Number(r.numDeletedRows) > 0;
      });
    }
  };
}
