/**
 * Live delivery on the connection a client already has: each signed-in client opens
 * `inbox:<userId>` (read-only, no content) and receives its notifications there as stateless
 * JSON messages. Whatever it missed it asks for with `{"type":"sync","after":<seq>,"jobsAfter":<seq>}`
 * and gets back in order: the job rows changed after its cursor (`jobs`) and the notifications
 * (`backlog`). Every message goes out only after it is stored.
 *
 * A client that does not read its socket does not grow server memory: once a connection has
 * more than `maxBufferedBytes` unsent, it is closed (4008) and catches up from storage when it
 * reconnects.
 */
import type { Connection, Extension, Hocuspocus, onConfigurePayload, onStatelessPayload } from '@hocuspocus/server';
import { CLOSE_REASONS, closeEvent, type InboxMessage, type InboxRequest } from '@pitboard/job-model';
import { hasRole, jobsVisibleTo, seesEveryJob, seesStaffDetails } from '../auth/access.js';
import { logRefusal } from '../sync/refusal-log.js';
import type { Logger } from '../log.js';
import type { Bus } from '../scale/bus.js';
import { jobSummary } from '../jobs/projection.js';
import type { JobFilter, JobRow, NotificationRow, Storage } from '../storage/index.js';
import type { ConnectionContext } from '../sync/context.js';
import { inboxDocumentName } from '../sync/documents.js';
import { bufferedBytes } from '../sync/hocuspocus-internals.js';
import { notificationDto } from './dto.js';

/** What travels between instances (scale/bus.ts) for the inbox. */
type InboxBusMessage =
  | { t: 'inbox'; userId: string; message: InboxMessage; createdAt?: string }
  | { t: 'job'; row: JobRow; previousAssigneeId: string | null };

/** Job rows per `jobs` message (a manager's catch-up comes in pages; others' sets are small). */
export const JOB_PAGE = 500;

export interface InboxOptions {
  maxBufferedBytes: number;
  onDelivered?(ageMs: number): void;
}

export class Inbox implements Extension {
  extensionName = 'pitboard-inbox';
  private instance: Hocuspocus | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly bus: Bus,
    private readonly log: Logger,
    private readonly options: InboxOptions
  ) {
    bus.subscribe((m) => this.onBus(m as InboxBusMessage));
  }

  /** Every instance hears every delivery and hands it to the connections it holds. */
  private onBus(m: InboxBusMessage) {
    if (m?.t === 'inbox') {
      if (this.send(m.userId, m.message) && m.createdAt) this.options.onDelivered?.(Date.now() - Date.parse(m.createdAt));
    } else if (m?.t === 'job') {
      this.sendJob(m.row, m.previousAssigneeId);
    }
  }

  async onConfigure({ instance }: onConfigurePayload): Promise<void> {
    this.instance = instance;
  }

  async onStateless({ payload, connection, documentName }: onStatelessPayload): Promise<void> {
    const context = connection.context as ConnectionContext;
    if (context.address?.kind !== 'inbox') return;
    let request: InboxRequest;
    try {
      request = JSON.parse(payload) as InboxRequest;
      if (request?.type !== 'sync') return;
    } catch {
      return;
    }
    const cursor = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
    const replies: InboxMessage[] = [];
    // Job rows first: the board's columns are right by the time its alerts are.
    if (request.jobsAfter !== undefined) replies.push(await this.jobsPage(context.user, cursor(request.jobsAfter)));
    // A request with only `jobsAfter` is the next page of job rows; otherwise the backlog too.
    if (request.after !== undefined || request.jobsAfter === undefined) {
      const limit = 200;
      const rows = await this.storage.listNotifications(context.user.id, { afterSeq: cursor(request.after), limit: limit + 1 });
      replies.push({
        type: 'backlog',
        notifications: rows.slice(0, limit).map(notificationDto),
        unread: await this.storage.countUnread(context.user.id),
        more: rows.length > limit
      });
    }
    if (!this.instance?.documents.get(documentName)?.getConnections().includes(connection)) return;
    for (const reply of replies) this.sendTo(connection, JSON.stringify(reply), context.user.id);
  }

  /**
   * The job rows a user missed. A manager with a cursor gets every row saved after it (collected
   * ones too: they leave the board), a page at a time. Without one, or for a mechanic or a
   * customer, the whole visible set (`full`): their sets are small, and a job that left a
   * mechanic's list must disappear from it, which a list of rows they may still see cannot say.
   */
  private async jobsPage(user: ConnectionContext['user'], after: number): Promise<InboxMessage> {
    // Read before the rows: a save committing in between is then after the cursor, sent again.
    const last = await this.storage.lastJobSeq();
    const forStaff = seesStaffDetails(user);
    if (seesEveryJob(user) && after > 0 && after <= last) {
      const rows = await this.storage.listJobs({ afterSeq: after, limit: JOB_PAGE + 1 });
      const page = rows.slice(0, JOB_PAGE);
      return { type: 'jobs', jobs: page.map((r) => jobSummary(r, true)), cursor: page.at(-1)?.seq ?? after, more: rows.length > JOB_PAGE, full: false };
    }
    // A customer's list keeps collected repairs; a mechanic's and the board's do not.
    const filter: JobFilter = seesEveryJob(user)
      ? { activeOnly: true, limit: JOB_PAGE + 1 }
      : { ...jobsVisibleTo(user), ...(hasRole(user, 'mechanic') ? { activeOnly: true } : {}) };
    const rows = await this.storage.listJobs({ ...filter, afterSeq: -1 });
    const more = seesEveryJob(user) && rows.length > JOB_PAGE;
    const page = more ? rows.slice(0, JOB_PAGE) : rows;
    const cursor = more ? page.at(-1)!.seq : Math.max(last, page.at(-1)?.seq ?? 0);
    return { type: 'jobs', jobs: page.map((r) => jobSummary(r, forStaff)), cursor, more, full: true };
  }

  /**
   * Asks every inbox connection on this instance to sync again from its cursors (`resync`), as
   * after a reconnect: e.g. when messages from other instances may have been lost. Returns how
   * many connections were asked.
   */
  requestResync(): number {
    const payload = JSON.stringify({ type: 'resync' } satisfies InboxMessage);
    let asked = 0;
    for (const [name, document] of this.instance?.documents ?? []) {
      if (!name.startsWith('inbox:')) continue;
      for (const connection of document.getConnections()) if (this.sendTo(connection, payload, name.slice('inbox:'.length))) asked++;
    }
    return asked;
  }

  /** A stored notification, to its recipient's open inboxes on this instance. */
  async deliverNew(n: NotificationRow): Promise<void> {
    const unread = await this.storage.countUnread(n.userId);
    this.publish({ t: 'inbox', userId: n.userId, message: { type: 'notification', notification: notificationDto(n), unread }, createdAt: n.createdAt });
  }

  /** Read or resolved elsewhere: every open inbox of the user learns it. */
  async deliverChanged(userId: string, rows: NotificationRow[]): Promise<void> {
    if (rows.length === 0) return;
    const unread = await this.storage.countUnread(userId);
    this.publish({ t: 'inbox', userId, message: { type: 'changed', notifications: rows.map(notificationDto), unread } });
  }

  /**
   * A job's read-model row changed: every connected manager, its mechanic (and the one it was
   * taken from) and its customer get the new row, as each may see it.
   */
  deliverJob(row: JobRow, previous: JobRow | null): void {
    this.publish({ t: 'job', row, previousAssigneeId: previous?.assigneeId ?? null });
  }

  /**
   * The relay between instances was down (scale/relay.ts): job rows and notifications sent
   * meanwhile from other instances never reached this one's inboxes. Every open inbox here is
   * told to ask again from its last seq (`{type:'sync', after}`); what it missed is stored.
   */
  broadcastResync(): number {
    const payload = JSON.stringify({ type: 'resync' });
    let sent = 0;
    for (const [name, document] of this.instance?.documents ?? []) {
      if (!name.startsWith('inbox:')) continue;
      for (const connection of document.getConnections()) if (this.sendTo(connection, payload, name.slice('inbox:'.length))) sent += 1;
    }
    return sent;
  }

  private publish(message: InboxBusMessage) {
    this.bus.publish(message);
  }

  private sendJob(row: JobRow, previousAssigneeId: string | null): void {
    const staff = JSON.stringify({ type: 'job', job: jobSummary(row, true) } satisfies InboxMessage);
    const staffIds = new Set([row.assigneeId, previousAssigneeId].filter((id): id is string => !!id));
    for (const [name, document] of this.instance?.documents ?? []) {
      if (!name.startsWith('inbox:')) continue;
      const userId = name.slice('inbox:'.length);
      for (const connection of document.getConnections()) {
        const user = (connection.context as ConnectionContext | undefined)?.user;
        if ((user && seesEveryJob(user)) || staffIds.has(userId)) this.sendTo(connection, staff, userId);
      }
    }
    this.send(row.customerId, { type: 'job', job: jobSummary(row, false) });
  }

  private send(userId: string, message: InboxMessage): boolean {
    const document = this.instance?.documents.get(inboxDocumentName(userId));
    if (!document) return false;
    const payload = JSON.stringify(message);
    let sent = false;
    for (const connection of document.getConnections()) sent = this.sendTo(connection, payload, userId) || sent;
    return sent;
  }

  private sendTo(connection: Connection, payload: string, userId: string): boolean {
    const buffered = bufferedBytes(connection);
    if (buffered > this.options.maxBufferedBytes) {
      const { closeCode, text } = CLOSE_REASONS.too_far_behind;
      logRefusal(this.log, { code: closeCode, reason: text, document: inboxDocumentName(userId), userId });
      this.log.debug('inbox connection closed to catch up from storage', { userId, buffered });
      connection.close(closeEvent('too_far_behind'));
      return false;
    }
    connection.sendStateless(payload);
    return true;
  }
}
