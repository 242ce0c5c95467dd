/**
 * Live delivery on the connection a client already has: each signed-in client opens
 * `inbox:<userId>` (read-only, no content) and receives its notifications there as stateless
 * JSON messages. Whatever it missed it asks for with `{"type":"sync","after":<seq>}` and gets
 * back in order (`backlog`). Every message goes out only after it is stored.
 *
 * A client that does not read its socket does not grow server memory: once a connection has
 * more than `maxBufferedBytes` unsent, it is closed (4008) and catches up from storage when it
 * reconnects.
 */
import type { Connection, Extension, Hocuspocus, onConfigurePayload, onStatelessPayload } from '@hocuspocus/server';
import { logRefusal } from '../sync/refusal-log.js';
import type { Logger } from '../log.js';
import type { Bus } from '../scale/bus.js';
import { jobSummary } from '../jobs/projection.js';
import type { JobRow, NotificationRow, Storage } from '../storage/index.js';
import type { ConnectionContext } from '../sync/context.js';
import { inboxDocumentName } from '../sync/documents.js';
import { notificationDto, type InboxMessage } from './dto.js';

/** What travels between instances (scale/bus.ts) for the inbox. */
type InboxBusMessage =
  | { t: 'inbox'; userId: string; message: InboxMessage; createdAt?: string }
  | { t: 'job'; row: JobRow; previousAssigneeId: string | null };

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
    let after = 0;
    try {
      const message = JSON.parse(payload) as { type?: string; after?: unknown };
      if (message.type !== 'sync') return;
      after = typeof message.after === 'number' && Number.isInteger(message.after) && message.after >= 0 ? message.after : 0;
    } catch {
      return;
    }
    const limit = 200;
    const rows = await this.storage.listNotifications(context.user.id, { afterSeq: after, limit: limit + 1 });
    const reply: InboxMessage = {
      type: 'backlog',
      notifications: rows.slice(0, limit).map(notificationDto),
      unread: await this.storage.countUnread(context.user.id),
      more: rows.length > limit
    };
    if (this.instance?.documents.get(documentName)?.getConnections().includes(connection)) {
      this.sendTo(connection, JSON.stringify(reply), context.user.id);
    }
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
        if (user?.role === 'manager' || staffIds.has(userId)) this.sendTo(connection, staff, userId);
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
    const buffered = (connection.webSocket as unknown as { bufferedAmount?: number }).bufferedAmount ?? 0;
    if (buffered > this.options.maxBufferedBytes) {
      const refusal = { code: 4008, reason: 'too far behind; reconnect to catch up' };
      logRefusal(this.log, { ...refusal, document: inboxDocumentName(userId), userId });
      this.log.debug('inbox connection closed to catch up from storage', { userId, buffered });
      connection.close(refusal);
      return false;
    }
    connection.sendStateless(payload);
    return true;
  }
}
