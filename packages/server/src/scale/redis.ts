/**
 * Beyond one machine: with REDIS_URL set, Hocuspocus' Redis extension syncs every open
 * document between instances (and lets one instance store at a time), and the bus carries
 * notifications, board rows and share views to whichever instance holds the recipient.
 *
 * Every key and channel starts with REDIS_PREFIX (`<prefix>:doc:…` for documents and their
 * locks, `<prefix>:bus` for the bus): pub/sub channels ignore Redis' database number, so the
 * prefix is what keeps two deployments on one Redis apart (docs/security.md, section 8).
 */
import { OutgoingMessage, type afterLoadDocumentPayload, type afterUnloadDocumentPayload, type Document, type onChangePayload, type onStoreDocumentPayload } from '@hocuspocus/server';
import { Redis as RedisExtension } from '@hocuspocus/extension-redis';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { LocalBus, RedisBus, type Bus } from './bus.js';

/**
 * The extension, made to keep serving while Redis is away (the instance is then degraded, see
 * relay.ts): a document opened meanwhile is subscribed when the relay returns instead of
 * waiting on Redis, and a store skips the lock (it is only an optimisation here: compaction
 * merges, docs/sync.md "Durability").
 */
export class DocumentRelay extends RedisExtension {
  relayUp: () => boolean = () => true;
  /** Documents opened while the relay was down: not subscribed yet. */
  private readonly unsubscribed = new Set<string>();
  private destroyed = false;

  override async afterLoadDocument(payload: afterLoadDocumentPayload): Promise<void> {
    if (this.relayUp()) return super.afterLoadDocument(payload);
    this.unsubscribed.add(payload.documentName);
  }

  override async afterUnloadDocument(payload: afterUnloadDocumentPayload): Promise<void> {
    this.unsubscribed.delete(payload.documentName);
    // Documents still unloading after a shutdown closed the connections have nothing to leave.
    if (!this.destroyed) return super.afterUnloadDocument(payload);
  }

  override async onDestroy(): Promise<void> {
    this.destroyed = true;
    return super.onDestroy();
  }

  /** While down, announcing a change would only queue in the client; the resync covers it. */
  override async onChange(payload: onChangePayload): Promise<void> {
    if (this.relayUp()) return super.onChange(payload);
  }

  override async onStoreDocument(payload: onStoreDocumentPayload): Promise<void> {
    if (this.relayUp()) return super.onStoreDocument(payload);
  }

  /**
   * After an outage: subscribe again to every open document (idempotent) and ask the other
   * instances for what this one missed. A sync step 1 on a document's channel is answered by
   * each instance holding it with what this one lacks *and* its own step 1, which this one
   * answers with what they lack — so both sides catch up, whichever came back last.
   */
  async resync(documents: Iterable<[string, Document]>, isJob: (name: string) => boolean): Promise<void> {
    const channels = new Set(this.unsubscribed);
    this.unsubscribed.clear();
    const open = [...documents];
    for (const [name] of open) channels.add(name);
    if (channels.size > 0) await this.sub.subscribe(...[...channels].map((name) => this.channel(name)));
    for (const [name, document] of open) {
      if (!isJob(name)) continue;
      const step1 = new OutgoingMessage(name).createSyncMessage().writeFirstSyncStepFor(document).toUint8Array();
      await this.pub.publish(this.channel(name), Buffer.concat([this.messagePrefix, Buffer.from(step1)]));
    }
  }

  /** The extension's own channel name for a document (`<prefix>:<document name>`). */
  private channel(documentName: string): string {
    return `${this.configuration.prefix}:${documentName}`;
  }

  /** Its two connections (plain clients: built from host and port, never a cluster). */
  get clients(): Redis[] {
    return [this.pub as unknown as Redis, this.sub as unknown as Redis];
  }
}

export function redisExtension(url: string, prefix: string): DocumentRelay {
  const u = new URL(url);
  return new DocumentRelay({
    host: u.hostname,
    port: Number(u.port || 6379),
    prefix: `${prefix}:doc`,
    options: {
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {})
    }
  });
}

export async function openBus(config: Config, log: Logger): Promise<Bus> {
  if (!config.redisUrl) return new LocalBus();
  const bus = new RedisBus(config.redisUrl, log, config.redisPrefix);
  await bus.ready();
  return bus;
}
