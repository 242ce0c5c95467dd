/**
 * Storing an imported job (cli `job import`): the accounts it needs, its read-model row, its
 * document and its event baseline in one transaction, so an import that fails leaves nothing.
 */
import type { Kysely } from 'kysely';
import { ConflictError } from '../errors.js';
import type { OpenDatabase } from './database.js';
import { fromJob } from './jobs.js';
import type { Database } from './schema.js';
import type { JobRow, UserRow } from './storage.js';

export interface ImportedJob {
  row: JobRow;
  documentName: string;
  state: Uint8Array;
  /** The notifier's baseline for these facts: nothing already in the file is announced again. */
  baseline: string;
  /** Accounts the job names that this server does not have yet. */
  newUsers: UserRow[];
}

export class JobImportStorage {
  private readonly db: Kysely<Database>;

  constructor(database: OpenDatabase) {
    this.db = database.db;
  }

  async insert(job: ImportedJob): Promise<JobRow> {
    return this.db.transaction().execute(async (trx) => {
      // Checked again inside the transaction: another import or intake may have just taken them.
      const sameId = await trx.selectFrom('jobs').select('number').where('id', '=', job.row.id).executeTakeFirst();
      if (sameId) throw new ConflictError(`job #${sameId.number} (id ${job.row.id}) is already on this server`);
      const sameNumber = await trx.selectFrom('jobs').select('id').where('number', '=', job.row.number).executeTakeFirst();
      if (sameNumber) throw new ConflictError(`job number ${job.row.number} is taken on this server by another job (id ${sameNumber.id})`);
      const document = await trx.selectFrom('documents').select('name').where('name', '=', job.documentName).executeTakeFirst();
      if (document) throw new ConflictError(`a document named ${job.documentName} is already on this server`);
      for (const u of job.newUsers) {
        await trx
          .insertInto('users')
          .values({ id: u.id, email: u.email, name: u.name, role: u.role, password_hash: u.passwordHash, created_at: u.createdAt })
          .execute();
      }
      const counter = await trx
        .updateTable('counters')
        .set((eb) => ({ value: eb('value', '+', 1) }))
        .where('name', '=', 'job_seq')
        .returning('value')
        .executeTakeFirstOrThrow();
      const row = { ...job.row, seq: Number(counter.value) };
      await trx
        .insertInto('jobs')
        .values({ ...fromJob(row), event_baseline: job.baseline })
        .execute();
      await trx.insertInto('documents').values({ name: job.documentName, state: job.state, updated_at: row.updatedAt }).execute();
      return row;
    });
  }
}
