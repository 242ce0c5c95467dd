/**
 * A person's notifications, as the API and the pages use them: read, counted, marked read (the
 * change then reaches their open screens through the inbox). Each sees only their own.
 */
import type { Actor, NotificationMessage } from '@pitboard/job-model';
import type { Storage } from '../storage/index.js';
import { notificationDto } from './dto.js';
import type { Inbox } from './inbox.js';

export interface NotificationQuery {
  limit: number;
  /** Only those after this sequence number. */
  afterSeq?: number;
  unreadOnly?: boolean;
}

export class NotificationService {
  constructor(
    private readonly storage: Storage,
    private readonly inbox: Inbox
  ) {}

  async list(actor: Actor, query: NotificationQuery): Promise<NotificationMessage[]> {
    const rows = await this.storage.listNotifications(actor.id, query);
    return rows.map(notificationDto);
  }

  unread(actor: Actor): Promise<number> {
    return this.storage.countUnread(actor.id);
  }

  /** Marks some (or all) of the actor's notifications read; their open screens follow. */
  async markRead(actor: Actor, which: string[] | 'all'): Promise<{ marked: number; unread: number }> {
    const changed = await this.storage.markRead(actor.id, which, new Date().toISOString());
    await this.inbox.deliverChanged(actor.id, changed);
    return { marked: changed.length, unread: await this.storage.countUnread(actor.id) };
  }
}
