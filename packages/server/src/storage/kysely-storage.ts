/**
 * The Storage interface on Kysely: the same queries serve SQLite and PostgreSQL.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Role } from '@pitboard/job-model';
import * as Y from 'yjs';
import { ConflictError } from '../errors.js';
import type { OpenDatabase } from './database.js';
import { KyselyJobSearch, searchColumns } from './job-search.js';
import { hotQueries, Prepared } from './prepared.js';
import { KyselyStatusHistory } from './status-history.js';
import type { Database, JobsTable, NotificationsTable, ShareLinksTable, UsersTable } from './schema.js';
import type {
  JobEventsInput,
  JobEventsResult,
  JobFilter,
  JobRow,
  NewNotification,
  NotificationRow,
  SessionRow,
  ShareLinkRow,
  Storage,
  UserRow
} from './storage.js';

/** Rows per INSERT (3 parameters each; SQLite allows 32,766, PostgreSQL 65,535). */
const APPEND_BATCH_MAX = 1000;

export class KyselyStorage implements Storage {
  readonly dialect: 'sqlite' | 'postgres';
  private readonly db: Kysely<Database>;

  constructor(private readonly opened: OpenDatabase) {
    this.db = opened.db;
    this.dialect = opened.dialect;
    this.q = hotQueries(opened.db, opened.dialect);
    this.search = new KyselyJobSearch(opened.db, toJob);
    this.statusHistory = new KyselyStatusHistory(opened.db);
  }

  readonly search: KyselyJobSearch<JobRow>;
  readonly statusHistory: KyselyStatusHistory;

  // The queries every edit runs, built once (see prepared.ts).
  private readonly appendQueries = new Map<number, Prepared<unknown[]>>();
  private readonly jobUpdates = new Map<string, Prepared<unknown[]>>();
  private readonly q: ReturnType<typeof hotQueries>;

  private nextSeq(trx: Kysely<Database>): Promise<number> {
    return this.q.nextSeq.run<{ value: number }>(trx, []).then((r) => Number(r.rows[0]!.value));
  }

  /** Takes `count` job-row seqs in the caller's transaction; returns the last one. */
  private advanceJobSeq(trx: Kysely<Database>, count: number): Promise<number> {
    return this.q.advanceJobSeq.run<{ value: number }>(trx, [count]).then((r) => Number(r.rows[0]!.value));
  }

  async loadDocument(name: string): Promise<Uint8Array | null> {
    // Snapshot and log must be read as of one moment: a compaction committing between two
    // separate reads would hide the updates it folded (the old snapshot, the trimmed log).
    const { snapshot, log } = await this.consistentRead(async (trx) => ({
      snapshot: await trx.selectFrom('documents').select('state').where('name', '=', name).executeTakeFirst(),
      log: await trx.selectFrom('document_updates').select('data').where('name', '=', name).orderBy('id').execute()
    }));
    const parts = [...(snapshot ? [snapshot.state] : []), ...log.map((r) => r.data)].map(bytes);
    if (parts.length === 0) return null;
    return parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
  }

  private consistentRead<T>(read: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    const tx = this.db.transaction();
    // SQLite: read only, so it takes no write lock (sqlite-driver.ts).
    return (this.dialect === 'postgres' ? tx.setIsolationLevel('repeatable read') : tx.setAccessMode('read only')).execute(read);
  }

  /**
   * Group commit: the updates appended in one turn of the event loop (every message the server
   * read from its sockets in that turn) go into one INSERT, one commit; each caller resumes only
   * after it. Under load, batches grow by themselves; alone, an update waits for nothing.
   */
  appendUpdate(name: string, update: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.appends.push({ row: { name, data: update, created_at: new Date().toISOString() }, resolve, reject });
      this.appendsScheduled ??= setImmediate(() => void this.flushAppends());
    });
  }

  private readonly appends: { row: { name: string; data: Uint8Array; created_at: string }; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private appendsScheduled: NodeJS.Immediate | null = null;

  private async flushAppends(): Promise<void> {
    this.appendsScheduled = null;
    while (this.appends.length > 0) {
      const batch = this.appends.splice(0, APPEND_BATCH_MAX);
      try {
        let insert = this.appendQueries.get(batch.length);
        if (!insert) {
          const n = batch.length;
          insert = new Prepared<unknown[]>((arg) =>
            this.db.insertInto('document_updates').values(Array.from({ length: n }, (_, i) => ({ name: arg(3 * i), data: arg(3 * i + 1), created_at: arg(3 * i + 2) })))
          );
          if (this.appendQueries.size >= 100) this.appendQueries.clear(); // bounded: batch sizes vary under load
          this.appendQueries.set(n, insert);
        }
        await insert.run(this.db, batch.flatMap((a) => [a.row.name, a.row.data, a.row.created_at]));
        for (const a of batch) a.resolve();
      } catch (error) {
        for (const a of batch) a.reject(error);
      }
    }
  }

  async compactDocument(name: string, state: Uint8Array, contains: (update: Uint8Array) => boolean): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const now = new Date().toISOString();
      // Merge with what is stored instead of overwriting it: a slower, older compaction (another
      // instance, say) must never replace a newer snapshot with less.
      let q = trx.selectFrom('documents').select('state').where('name', '=', name);
      if (this.dialect === 'postgres') q = q.forUpdate();
      const stored = await q.executeTakeFirst();
      const merged = stored ? Y.mergeUpdates([bytes(stored.state), state]) : state;
      await trx
        .insertInto('documents')
        .values({ name, state: merged, updated_at: now })
        .onConflict((oc) => oc.column('name').doUpdateSet({ state: merged, updated_at: now }))
        .execute();
      const logged = await trx.selectFrom('document_updates').select(['id', 'data']).where('name', '=', name).execute();
      const folded = logged.filter((r) => contains(bytes(r.data))).map((r) => Number(r.id));
      for (let i = 0; i < folded.length; i += 500) {
        await trx.deleteFrom('document_updates').where('id', 'in', folded.slice(i, i + 500)).execute();
      }
    });
  }

  async countLoggedUpdates(name: string): Promise<number> {
    const r = await this.db
      .selectFrom('document_updates')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async createUser(user: UserRow, db: Kysely<Database> = this.db): Promise<void> {
    await db
      .insertInto('users')
      .values({
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        password_hash: user.passwordHash,
        created_at: user.createdAt
      })
      .execute();
  }

  async getUserById(id: string): Promise<UserRow | null> {
    const r = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toUser(r) : null;
  }

  async getUserByEmail(email: string): Promise<UserRow | null> {
    const r = await this.db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    return r ? toUser(r) : null;
  }

  async listUsers(role?: Role): Promise<UserRow[]> {
    let q = this.db.selectFrom('users').selectAll().orderBy('name');
    if (role) q = q.where('role', '=', role);
    return (await q.execute()).map(toUser);
  }

  async countUsers(): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async setUserRole(id: string, role: Role): Promise<boolean> {
    const r = await this.db.updateTable('users').set({ role }).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteUser(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
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

  async createSession(s: SessionRow): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        id: s.id,
        user_id: s.userId,
        secret_hash: s.secretHash,
        created_at: s.createdAt,
        last_verified_at: s.lastVerifiedAt
      })
      .execute();
  }

  async getSession(id: string): Promise<{ session: SessionRow; user: UserRow } | null> {
    const r = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .select([
        'sessions.id as session_id',
        'sessions.secret_hash',
        'sessions.created_at as session_created_at',
        'sessions.last_verified_at'
      ])
      .where('sessions.id', '=', id)
      .executeTakeFirst();
    if (!r) return null;
    return {
      session: {
        id: r.session_id,
        userId: r.id,
        secretHash: bytes(r.secret_hash),
        createdAt: r.session_created_at,
        lastVerifiedAt: r.last_verified_at
      },
      user: toUser(r)
    };
  }

  async getSessions(ids: string[]): Promise<Map<string, { session: SessionRow; user: UserRow }>> {
    const found = new Map<string, { session: SessionRow; user: UserRow }>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .selectAll('users')
        .select(['sessions.id as session_id', 'sessions.secret_hash', 'sessions.created_at as session_created_at', 'sessions.last_verified_at'])
        .where('sessions.id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) {
        found.set(r.session_id, {
          session: { id: r.session_id, userId: r.id, secretHash: bytes(r.secret_hash), createdAt: r.session_created_at, lastVerifiedAt: r.last_verified_at },
          user: toUser(r)
        });
      }
    }
    return found;
  }

  async touchSession(id: string, lastVerifiedAt: string): Promise<void> {
    await this.db.updateTable('sessions').set({ last_verified_at: lastVerifiedAt }).where('id', '=', id).execute();
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  async createJob(
    build: (number: number) => { row: JobRow; documentName: string; update: Uint8Array },
    options: { newCustomer?: UserRow; shareLink?: ShareLinkRow } = {}
  ): Promise<JobRow> {
    return this.db.transaction().execute(async (trx) => {
      if (options.newCustomer) await this.createUser(options.newCustomer, trx);
      const max = await trx
        .selectFrom('jobs')
        .select((eb) => eb.fn.max<number | null>('number').as('n'))
        .executeTakeFirst();
      const built = build(Number(max?.n ?? 1000) + 1);
      const { documentName, update } = built;
      const row = { ...built.row, seq: await this.advanceJobSeq(trx, 1) };
      await trx.insertInto('jobs').values(fromJob(row)).execute();
      // The first state is the snapshot: nothing to fold, nothing to recover at the next start.
      await trx.insertInto('documents').values({ name: documentName, state: update, updated_at: row.createdAt }).execute();
      if (options.shareLink) await this.createShareLink(options.shareLink, trx);
      return row;
    });
  }

  async getJob(id: string): Promise<JobRow | null> {
    const r = await this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toJob(r) : null;
  }

  async listJobs(filter: JobFilter = {}): Promise<JobRow[]> {
    let q = this.db.selectFrom('jobs').selectAll().orderBy('number', 'desc');
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.assigneeId) q = q.where('assignee_id', '=', filter.assigneeId);
    if (filter.customerId) q = q.where('customer_id', '=', filter.customerId);
    if (filter.activeOnly) q = q.where('status', '!=', 'collected');
    if (filter.afterSeq !== undefined) q = q.where('seq', '>', filter.afterSeq).clearOrderBy().orderBy('seq', 'asc');
    if (filter.limit) q = q.limit(filter.limit);
    return (await q.execute()).map(toJob);
  }

  async saveJob(row: JobRow): Promise<JobRow> {
    return (await this.saveJobs([row]))[0]!;
  }

  async saveJobs(rows: JobRow[]): Promise<JobRow[]> {
    if (rows.length === 0) return [];
    // One commit for the batch. The `job_seq` counter row stays locked until the commit, so
    // saves commit in `seq` order: a client that saw seq N has seen every save before it.
    // Rows in id order, as recordJobEvents locks them (no deadlock between the two on PostgreSQL).
    return this.db.transaction().execute(async (trx) => {
      const last = await this.advanceJobSeq(trx, rows.length);
      const order = rows.map((row, i) => ({ row, i })).sort((a, b) => (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : a.i - b.i));
      const saved: JobRow[] = new Array(rows.length);
      for (const [k, { row, i }] of order.entries()) {
        saved[i] = { ...row, seq: last - rows.length + 1 + k };
        const { id, ...rest } = fromJob(saved[i]!);
        await this.updateJobRow(trx, id, rest);
      }
      return saved;
    });
  }

  async lastJobSeq(): Promise<number> {
    const r = await this.db.selectFrom('counters').select('value').where('name', '=', 'job_seq').executeTakeFirst();
    return Number(r?.value ?? 0);
  }

  /** UPDATE jobs SET (every column of `values`) WHERE id: built once per set of columns. */
  private updateJobRow(db: Kysely<Database>, id: string, values: Omit<JobsTable, 'id'>) {
    const columns = Object.keys(values) as (keyof typeof values)[];
    const key = columns.join();
    let update = this.jobUpdates.get(key);
    if (!update) {
      update = new Prepared<unknown[]>((arg) => this.db.updateTable('jobs').set(Object.fromEntries(columns.map((c, i) => [c, arg(i)]))).where('id', '=', arg(columns.length)));
      this.jobUpdates.set(key, update);
    }
    return update.run(db, [...columns.map((c) => values[c]), id]);
  }

  async createShareLink(l: ShareLinkRow, db: Kysely<Database> = this.db): Promise<void> {
    await db
      .insertInto('share_links')
      .values({
        id: l.id,
        job_id: l.jobId,
        token_hash: l.tokenHash,
        created_by: l.createdBy,
        created_at: l.createdAt,
        expires_at: l.expiresAt,
        revoked_at: l.revokedAt
      })
      .execute();
  }

  async getShareLinkByHash(tokenHash: string): Promise<ShareLinkRow | null> {
    const r = await this.db.selectFrom('share_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return r ? toShareLink(r) : null;
  }

  async listShareLinks(jobId: string): Promise<ShareLinkRow[]> {
    const rows = await this.db
      .selectFrom('share_links')
      .selectAll()
      .where('job_id', '=', jobId)
      .orderBy('created_at')
      .execute();
    return rows.map(toShareLink);
  }

  async revokeShareLink(jobId: string, linkId: string, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable('share_links')
      .set({ revoked_at: at })
      .where('id', '=', linkId)
      .where('job_id', '=', jobId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async recordJobEvents(jobs: JobEventsInput[], at: string): Promise<JobEventsResult[]> {
    if (jobs.length === 0) return [];
    // Jobs in id order: two instances locking overlapping batches take the locks in one order.
    const order = jobs.map((job, i) => ({ job, i })).sort((a, b) => (a.job.jobId < b.job.jobId ? -1 : a.job.jobId > b.job.jobId ? 1 : a.i - b.i));
    return this.db.transaction().execute(async (trx) => {
      const results: JobEventsResult[] = new Array(jobs.length);
      for (const { job, i } of order) results[i] = await this.recordOneJobEvents(trx, job, at);
      return results;
    });
  }

  private async recordOneJobEvents(trx: Kysely<Database>, { jobId, compute, isMoot }: JobEventsInput, at: string): Promise<JobEventsResult> {
    const job = (await this.q.baseline.run<{ event_baseline: string | null }>(trx, [jobId])).rows[0];
    if (!job) return { stored: [], resolved: [] };
    const computed = compute(job.event_baseline ?? null);
    if (!computed) return { stored: [], resolved: [] };
    const { baseline, notifications, resolveMoot = true } = computed;
    const stored: NotificationRow[] = [];
    for (const n of notifications) {
      const seq = await this.nextSeq(trx);
      if (n.coalesce) {
        const existing = (await this.q.coalesce.run<Selectable<NotificationsTable>>(trx, [n.title, n.body, n.createdAt, seq, n.userId, n.jobId, n.eventKey])).rows[0];
        if (existing) {
          stored.push(toNotification(existing));
          continue;
        }
      }
      const row: NotificationsTable = {
        id: crypto.randomUUID(),
        seq,
        user_id: n.userId,
        job_id: n.jobId,
        kind: n.kind,
        event_key: n.eventKey,
        title: n.title,
        body: n.body,
        created_at: n.createdAt,
        read_at: null,
        resolved_at: null
      };
      const inserted = await this.q.insertNotification.run(trx, [row.id, seq, row.user_id, row.job_id, row.kind, row.event_key, row.title, row.body, row.created_at]);
      if (Number(inserted.numAffectedRows ?? 0) > 0) stored.push(toNotification(row));
    }
    // Unchanged (a note, a reload): no write, so a read-only transaction commits for free.
    if (baseline !== job.event_baseline) await this.q.saveBaseline.run(trx, [baseline, jobId]);

    if (!resolveMoot) return { stored, resolved: [] };
    const open = (await this.q.openOfJob.run<Selectable<NotificationsTable>>(trx, [jobId])).rows.map(toNotification);
    const resolved: NotificationRow[] = [];
    for (const n of open.filter(isMoot)) {
      const seq = await this.nextSeq(trx);
      await this.q.resolve.run(trx, [at, seq, n.id]);
      resolved.push({ ...n, resolvedAt: at, seq });
    }
    return { stored, resolved };
  }

  async listNotifications(
    userId: string,
    options: { afterSeq?: number; limit?: number; unreadOnly?: boolean } = {}
  ): Promise<NotificationRow[]> {
    let q = this.db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
    if (options.unreadOnly) q = q.where('read_at', 'is', null);
    q = options.afterSeq !== undefined ? q.where('seq', '>', options.afterSeq).orderBy('seq', 'asc') : q.orderBy('seq', 'desc');
    return (await q.limit(options.limit ?? 100).execute()).map(toNotification);
  }

  async countUnread(userId: string): Promise<number> {
    const r = await this.q.countUnread.run<{ n: number }>(this.db, [userId]);
    return Number(r.rows[0]!.n);
  }

  async markRead(userId: string, which: string[] | 'all', at: string): Promise<NotificationRow[]> {
    if (Array.isArray(which) && which.length === 0) return [];
    return this.db.transaction().execute(async (trx) => {
      let q = trx.selectFrom('notifications').select('id').where('user_id', '=', userId).where('read_at', 'is', null);
      if (which !== 'all') q = q.where('id', 'in', which.slice(0, 1000));
      const changed: NotificationRow[] = [];
      for (const { id } of await q.orderBy('seq').execute()) {
        const seq = await this.nextSeq(trx);
        const row = await trx.updateTable('notifications').set({ read_at: at, seq }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
        changed.push(toNotification(row));
      }
      return changed;
    });
  }

  async pruneNotifications(readBefore: string): Promise<number> {
    const r = await this.db.deleteFrom('notifications').where('read_at', '<', readBefore).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async documentsWithLoggedUpdates(): Promise<string[]> {
    const rows = await this.db.selectFrom('document_updates').select('name').distinct().execute();
    return rows.map((r) => r.name);
  }

  probe(waitMs: number): Promise<void> {
    return this.opened.probe(waitMs);
  }

  lockWaits(): number {
    return this.opened.lockWaits();
  }

  async close(): Promise<void> {
    if (this.appendsScheduled) clearImmediate(this.appendsScheduled);
    await this.flushAppends();
    return this.opened.close();
  }
}

function toNotification(r: Selectable<NotificationsTable>): NotificationRow {
  return {
    id: r.id,
    seq: Number(r.seq),
    userId: r.user_id,
    jobId: r.job_id,
    kind: r.kind,
    eventKey: r.event_key,
    title: r.title,
    body: r.body,
    createdAt: r.created_at,
    readAt: r.read_at,
    resolvedAt: r.resolved_at
  };
}

/** PostgreSQL hands back Buffers; Yjs and our callers want plain Uint8Arrays. */
function bytes(b: Uint8Array): Uint8Array {
  return b instanceof Buffer ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : b;
}

function toUser(r: Selectable<UsersTable>): UserRow {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    passwordHash: r.password_hash,
    createdAt: r.created_at
  };
}

function toJob(r: Selectable<JobsTable>): JobRow {
  return {
    id: r.id,
    number: Number(r.number),
    bike: r.bike,
    description: r.description,
    customerId: r.customer_id,
    customerName: r.customer_name,
    assigneeId: r.assignee_id,
    status: r.status,
    itemsDone: Number(r.items_done),
    itemsTotal: Number(r.items_total),
    stuckReason: r.stuck_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    statusSince: r.status_since,
    collectedAt: r.collected_at,
    seq: Number(r.seq),
    serial: r.serial ?? '',
    customerPhone: r.customer_phone ?? ''
  };
}

function fromJob(j: JobRow): JobsTable {
  return {
    id: j.id,
    number: j.number,
    bike: j.bike,
    description: j.description,
    customer_id: j.customerId,
    customer_name: j.customerName,
    assignee_id: j.assigneeId,
    status: j.status,
    items_done: j.itemsDone,
    items_total: j.itemsTotal,
    stuck_reason: j.stuckReason,
    created_at: j.createdAt,
    updated_at: j.updatedAt,
    status_since: j.statusSince,
    collected_at: j.collectedAt,
    seq: j.seq,
    ...searchColumns(j)
  };
}

function toShareLink(r: Selectable<ShareLinksTable>): ShareLinkRow {
  return {
    id: r.id,
    jobId: r.job_id,
    tokenHash: r.token_hash,
    createdBy: r.created_by,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at
  };
}
