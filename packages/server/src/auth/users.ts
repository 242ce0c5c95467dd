/** Creating accounts (CLI, demo data, intake) with validated input. */
import type { Role } from '@pitboard/job-model';
import { EMAIL } from '../contract/fields.js';
import { BadRequestError, ConflictError } from '../errors.js';
import type { Storage, UserRow } from '../storage/index.js';
import { hashPassword } from './passwords.js';
import { randomString } from './tokens.js';

export const ROLES: readonly Role[] = ['manager', 'mechanic', 'customer'];

export interface NewUser {
  role: string;
  email: string;
  name: string;
  password?: string;
}

export async function addUser(storage: Storage, input: NewUser): Promise<UserRow> {
  const email = input.email.trim().toLowerCase();
  const name = input.name.trim();
  if (!ROLES.includes(input.role as Role)) throw new BadRequestError(`role must be one of ${ROLES.join(', ')}`);
  if (!EMAIL.test(email) || email.length > 254) throw new BadRequestError('email is not a valid address');
  if (!name || name.length > 100) throw new BadRequestError('name must be 1 to 100 characters');
  if (input.password !== undefined && (input.password.length < 8 || input.password.length > 200)) {
    throw new BadRequestError('password must be 8 to 200 characters');
  }
  if (await storage.getUserByEmail(email)) throw new ConflictError('a user with that email exists');
  const user: UserRow = {
    id: randomString(10),
    email,
    name,
    role: input.role as Role,
    passwordHash: input.password === undefined ? null : await hashPassword(input.password),
    createdAt: new Date().toISOString()
  };
  await storage.createUser(user);
  return user;
}
