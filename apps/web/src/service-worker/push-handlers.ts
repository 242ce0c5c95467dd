/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * The service worker's Web Push handlers: a push (its payload as the server wrote it, see
 * packages/server/src/push/push-payload.ts) becomes a system notification; a click on it opens
 * (or focuses) the page it names.
 */

interface PushPayload {
  kind?: string;
  title?: string;
  body?: string;
  url?: string;
  tag?: string;
}

function readPayload(event: PushEvent): PushPayload {
  try {
    return (event.data?.json() as PushPayload | undefined) ?? {};
  } catch {
    return { body: event.data?.text() };
  }
}

/** Only paths of this site are opened from a notification. */
function samePath(url: string | undefined): string {
  return typeof url === 'string' && url.startsWith('/') && !url.startsWith('//') ? url : '/';
}

export function handlePush(sw: ServiceWorkerGlobalScope, event: PushEvent): Promise<void> {
  const payload = readPayload(event);
  return sw.registration.showNotification(payload.title || 'Pitboard', {
    body: payload.body ?? '',
    tag: payload.tag,
    icon: '/icons/icon-192.png',
    badge: '/icons/icon-192.png',
    data: { url: samePath(payload.url) }
  });
}

export async function handleNotificationClick(sw: ServiceWorkerGlobalScope, event: NotificationEvent): Promise<void> {
  event.notification.close();
  const path = samePath((event.notification.data as { url?: string } | null)?.url);
  const target = new URL(path, sw.location.origin).href;
  for (const client of await sw.clients.matchAll({ type: 'window', includeUncontrolled: true })) {
    if (client.url === target && 'focus' in client) {
      await client.focus();
      return;
    }
  }
  await sw.clients.openWindow(target);
}
