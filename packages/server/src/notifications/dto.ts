import type { NotificationMessage } from '@pitboard/job-model';
import type { NotificationRow } from '../storage/index.js';

/** The public shape of a notification (docs/api.md): API and live messages alike. */
export function notificationDto(n: NotificationRow): NotificationMessage {
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
