/** The shop's people as managers see them (assigning work, names on the board): no secrets. */
import type { Actor, Role } from '@pitboard/job-model';
import type { Storage } from '../storage/index.js';
import { requireManager } from './access.js';

export interface Person {
  id: string;
  name: string;
  email: string;
  role: Role;
}

export class StaffDirectory {
  constructor(private readonly storage: Storage) {}

  /** Everyone with `role` (or everyone), for a manager. */
  async list(actor: Actor, role?: Role): Promise<Person[]> {
    requireManager(actor);
    const users = await this.storage.listUsers(role);
    return users.map(({ id, name, email, role }) => ({ id, name, email, role }));
  }
}
