/**
 * Web Push: alerts that reach a device whose tab is closed. Tied to notification creation —
 * the notifier stores each notification once across instances (unique per user, job and event),
 * and only the instance that stored it hands it here, so each notification is pushed once.
 * Payloads are encrypted for the subscription (RFC 8291) and signed with the server's VAPID key
 * (RFC 8292) by `web-push`; the request itself goes out with fetch, bounded in time and number.
 */
import webpush from 'web-push';
import type { ValidSession } from '../auth/sessions.js';
import { randomString } from '../auth/tokens.js';
import type { Logger } from '../log.js';
import type { ShareTokens } from '../jobs/share-tokens.js';
import type { NotificationRow, ShareLinkRow } from '../storage/index.js';
import type { PushStorage, PushSubscriptionRow } from '../storage/push-storage.js';
import { PUSHED_KINDS, payloadFor, sharePayloadFor, type PushPayload } from './push-payload.js';
import type { PushSubscriptionInput } from './subscription-schema.js';

export interface PushSettings {
  /** VAPID subject: `mailto:` or `https:` (how a push service reaches the operator). */
  contact: string;
  /** Accept `http:` endpoints (tests' local push service); off in production. */
  allowHttpEndpoints: boolean;
}

/** Devices per user and per share link: subscribing more drops the oldest. */
const MAX_PER_OWNER = 10;
/** Pushes in flight at once, and waiting; beyond, a push is dropped and logged (the inbox still has it). */
const MAX_IN_FLIGHT = 8;
const MAX_WAITING = 5000;
const SEND_TIMEOUT_MS = 10_000;
/** How long a push service keeps a message for a device that is offline. */
const TTL_SECONDS = 24 * 3600;

export class PushService {
  private inFlight = 0;
  private readonly waiting: (() => Promise<void>)[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  /** Pushes sent, and refused by a push service, since start (for logs and tests). */
  sent = 0;
  failed = 0;

  private constructor(
    private readonly store: PushStorage,
    private readonly keys: { publicKey: string; privateKey: string },
    readonly settings: PushSettings,
    private readonly shareTokens: ShareTokens,
    private readonly log: Logger
  ) {}

  /** Loads the VAPID key pair, generating and storing it on the first start. */
  static async start(store: PushStorage, settings: PushSettings, shareTokens: ShareTokens, log: Logger): Promise<PushService> {
    const keys = await store.vapidKeys(() => webpush.generateVAPIDKeys());
    return new PushService(store, keys, settings, shareTokens, log);
  }

  /** The application server key browsers subscribe with (base64url, public). */
  get publicKey(): string {
    return this.keys.publicKey;
  }

  async subscribeDevice(session: ValidSession, input: PushSubscriptionInput): Promise<string> {
    const id = randomString(10);
    await this.store.save({ ...rowOf(id, input), userId: session.user.id, sessionId: session.sessionId, shareLinkId: null, jobId: null });
    await this.store.trim({ userId: session.user.id }, MAX_PER_OWNER);
    return id;
  }

  async subscribeShareViewer(link: ShareLinkRow, input: PushSubscriptionInput): Promise<string> {
    const id = randomString(10);
    await this.store.save({ ...rowOf(id, input), userId: null, sessionId: null, shareLinkId: link.id, jobId: link.jobId });
    await this.store.trim({ shareLinkId: link.id }, MAX_PER_OWNER);
    return id;
  }

  unsubscribe(endpoint: string, owner: { userId: string } | { shareLinkId: string }): Promise<boolean> {
    return this.store.remove(endpoint, owner);
  }

  /** Newly stored notifications (the notifier's `stored`): pushes the kinds that reach closed tabs. */
  notify(rows: NotificationRow[]): void {
    const pushed = rows.filter((n) => PUSHED_KINDS.has(n.kind) && !n.readAt);
    if (pushed.length === 0) return;
    this.enqueue(async () => {
      const devices = await this.store.forUsers([...new Set(pushed.map((n) => n.userId))]);
      for (const n of pushed) {
        for (const d of devices) if (d.userId === n.userId) this.enqueue(() => this.send(d, payloadFor(n)));
        if (n.kind === 'ready_for_pickup') {
          for (const d of await this.store.forShareViewers(n.jobId, new Date().toISOString())) {
            const token = this.shareTokens.tokenFor(d.shareLinkId!);
            this.enqueue(() => this.send(d, sharePayloadFor(n, `/p/${token}`)));
          }
        }
      }
    });
  }

  /** Resolves when every push queued so far has been sent or given up. */
  idle(): Promise<void> {
    if (this.inFlight === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private enqueue(task: () => Promise<void>): void {
    if (this.waiting.length >= MAX_WAITING) {
      this.log.warn('push queue full; push dropped', { waiting: this.waiting.length });
      return;
    }
    this.waiting.push(task);
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.waiting.length > 0) {
      const task = this.waiting.shift()!;
      this.inFlight++;
      task()
        .catch((error) => this.log.error('push failed', { error }))
        .finally(() => {
          this.inFlight--;
          this.pump();
          if (this.inFlight === 0 && this.waiting.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
        });
    }
  }

  private async send(device: PushSubscriptionRow, payload: PushPayload): Promise<void> {
    const details = webpush.generateRequestDetails(
      { endpoint: device.endpoint, keys: { p256dh: device.p256dh, auth: device.auth } },
      JSON.stringify(payload),
      { vapidDetails: { subject: this.settings.contact, publicKey: this.keys.publicKey, privateKey: this.keys.privateKey }, TTL: TTL_SECONDS }
    );
    const headers = Object.fromEntries(Object.entries(details.headers).map(([k, v]) => [k, String(v)]));
    const response = await fetch(device.endpoint, {
      method: details.method,
      headers,
      body: details.body ? new Uint8Array(details.body) : null,
      redirect: 'manual',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS)
    });
    await response.body?.cancel();
    if (response.ok) {
      this.sent++;
      return;
    }
    this.failed++;
    // 404/410: the browser unsubscribed or the subscription expired — it will never work again.
    if (response.status === 404 || response.status === 410) {
      await this.store.removeById(device.id);
      this.log.info('push subscription gone; removed', { subscription: device.id, status: response.status });
    } else {
      this.log.warn('push service refused a push', { subscription: device.id, status: response.status });
    }
  }
}

function rowOf(id: string, input: PushSubscriptionInput) {
  return { id, endpoint: input.endpoint, p256dh: input.keys.p256dh, auth: input.keys.auth, createdAt: new Date().toISOString() };
}
