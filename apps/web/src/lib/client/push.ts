/**
 * Web Push on this device: subscribe the service worker's push manager with the server's VAPID
 * key and register the subscription with the server — for the signed-in account, or for one job's
 * share link. Alerts then reach a closed tab (the service worker shows them).
 */

/** Whom the device subscribes as: the signed-in account, or a share-page viewer of one job. */
export type PushTarget = { kind: 'account' } | { kind: 'share'; token: string };

export function pushSupported(): boolean {
  return typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

function endpointUrl(target: PushTarget): string {
  return target.kind === 'account' ? '/api/push/subscriptions' : `/api/share/${encodeURIComponent(target.token)}/push`;
}

/** This device's subscription, if it has one. */
export async function currentSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  const registration = await navigator.serviceWorker.getRegistration();
  return (await registration?.pushManager.getSubscription()) ?? null;
}

/** Asks for permission, subscribes and registers; throws an Error with plain words. */
export async function enablePush(target: PushTarget): Promise<void> {
  if (!pushSupported()) throw new Error('This browser cannot show alerts when the page is closed.');
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new Error('Notifications are blocked for this site in your browser settings.');
  const registration = await navigator.serviceWorker.ready;
  const keyResponse = await fetch('/api/push/key');
  if (!keyResponse.ok) throw new Error('Could not reach the server. Check the connection and try again.');
  const { publicKey } = (await keyResponse.json()) as { publicKey: string };
  let subscription: PushSubscription;
  try {
    subscription =
      (await registration.pushManager.getSubscription()) ??
      (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromBase64Url(publicKey) }));
  } catch {
    throw new Error("This browser could not reach its push service. Try again later.");
  }
  const saved = await fetch(endpointUrl(target), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(subscription.toJSON())
  });
  if (!saved.ok) {
    const { error } = (await saved.json().catch(() => ({ error: null }))) as { error: string | null };
    throw new Error(error ? `The server refused: ${error}.` : 'Could not save the subscription. Try again.');
  }
}

/** Stops alerts on this device: the server forgets it, then the browser drops the subscription. */
export async function disablePush(target: PushTarget): Promise<void> {
  const subscription = await currentSubscription();
  if (!subscription) return;
  const removed = await fetch(`${endpointUrl(target)}?endpoint=${encodeURIComponent(subscription.endpoint)}`, { method: 'DELETE' });
  // 404: the server had already forgotten it (sign-out, an expired subscription).
  if (!removed.ok && removed.status !== 404) throw new Error('Could not reach the server. Check the connection and try again.');
  await subscription.unsubscribe();
}

function fromBase64Url(s: string): Uint8Array<ArrayBuffer> {
  const binary = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
