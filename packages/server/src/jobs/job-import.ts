/**
 * Brings a job file (job-file.ts) into this server's database: same facts, same derived status,
 * and no notifications replayed (its event baseline starts at the imported facts). Accounts the
 * job names that this server lacks are created without a password (`user add` / sign-in later).
 */
import * as Y from 'yjs';
import { randomString } from '../auth/tokens.js';
import { ConflictError } from '../errors.js';
import { eventBaseline } from '../notifications/baseline.js';
import type { JobRow, Storage, UserRow } from '../storage/index.js';
import type { JobImportStorage } from '../storage/job-import-storage.js';
import { jobDocumentName } from '../sync/documents.js';
import { parseJobFile, type JobFile } from './job-file.js';
import { projectJob } from './projection.js';

export async function importJob(storage: Storage, imports: JobImportStorage, text: string): Promise<{ row: JobRow; newUsers: UserRow[] }> {
  const { file, doc, facts } = parseJobFile(text);
  try {
    const existing = await storage.getJob(facts.id);
    if (existing) throw new ConflictError(`job #${existing.number} (id ${facts.id}) is already on this server`);
    const newUsers: UserRow[] = [];
    const needed: [string, 'customer' | 'mechanic'][] = [[facts.customerId, 'customer']];
    if (facts.assigneeId) needed.push([facts.assigneeId, 'mechanic']);
    for (const [id, role] of needed) {
      const user = await storage.getUserById(id);
      if (user && user.role !== role) throw new ConflictError(`account ${id} is a ${user.role} here, but the job names it as its ${role === 'customer' ? 'customer' : 'mechanic'}`);
      if (!user) newUsers.push(await newAccount(storage, file, id, role, role === 'customer' ? facts.customerName : id));
    }
    const row: JobRow = { ...projectJob(facts, null, file.updatedAt ?? new Date().toISOString()), statusSince: file.statusSince ?? facts.createdAt };
    const saved = await imports.insert({
      row,
      documentName: jobDocumentName(facts.id),
      state: Y.encodeStateAsUpdate(doc),
      baseline: eventBaseline(facts, Y.encodeStateVector(doc)),
      newUsers
    });
    return { row: saved, newUsers };
  } finally {
    doc.destroy();
  }
}

/** An account for an id the job names, from the file's people (its email when free here). */
async function newAccount(storage: Storage, file: JobFile, id: string, role: 'customer' | 'mechanic', fallbackName: string): Promise<UserRow> {
  const person = file.people.find((p) => p.id === id);
  let email = typeof person?.email === 'string' ? person.email.trim().toLowerCase() : '';
  if (!email || (await storage.getUserByEmail(email))) email = `${role}+${id}-${randomString(4)}@pitboard.invalid`;
  const name = typeof person?.name === 'string' && person.name.trim() ? person.name.trim() : fallbackName;
  return { id, email, name, role, passwordHash: null, createdAt: new Date().toISOString() };
}
