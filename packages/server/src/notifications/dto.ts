import type { NotificationRow } from '../storage/index.js';

/** The public shape of a notification (contract.md): API and live messages alike. */
export function notificationDto(n: NotificationRow) {
  return {
    id: n.id,
    seq: n.seq,
    kind: n.kind,
    jobId: n.jobId,
    title: n.title,
    body: n.body,
    createdAt: n.createdAt,
    readAt: n.readAt,
    resolvedAt: n.resolvedAt
  };
}

export type NotificationDto = ReturnType<typeof notificationDto>;

/** Messages on `inbox:<userId>` (stateless, JSON). `job` keeps boards and lists live. */
export type InboxMessage =
  | { type: 'job'; job: Record<string, unknown> }
  | { type: 'notification'; notification: NotificationDto; unread: number }
  | { type: 'changed'; notifications: NotificationDto[]; unread: number }
  | { type: 'backlog'; notifications: NotificationDto[]; unread: number; more: boolean };
