/**
 * Messages between server instances. Every instance hears every message (its own included) and
 * delivers it to the connections it holds, so a notification stored on instance A reaches its
 * recipient connected to B exactly once. One process: LocalBus. Several: RedisBus (REDIS_URL).
 */
import { Redis } from 'ioredis';
import type { Logger } from '../log.js';

export type BusHandler = (message: unknown) => void;

export interface Bus {
  publish(message: unknown): void;
  subscribe(handler: BusHandler): void;
  close(): Promise<void>;
}

export class LocalBus implements Bus {
  private readonly handlers: BusHandler[] = [];
  publish(message: unknown): void {
    for (const h of this.handlers) h(message);
  }
  subscribe(handler: BusHandler): void {
    this.handlers.push(handler);
  }
  async close(): Promise<void> {}
}

export class RedisBus implements Bus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly handlers: BusHandler[] = [];
  private readonly channel: string;
  errors = 0;

  /** `prefix` is REDIS_PREFIX: the channel is `<prefix>:bus`. */
  constructor(url: string, private readonly log: Logger, prefix: string) {
    this.channel = `${prefix}:bus`;
    this.pub = new Redis(url, { maxRetriesPerRequest: 3 });
    this.sub = new Redis(url, { maxRetriesPerRequest: 3 });
    for (const client of [this.pub, this.sub]) {
      client.on('error', (error) => {
        this.errors += 1;
        this.log.warn('redis error', { error });
      });
    }
    this.sub.on('message', (_channel, raw: string) => {
      let message: unknown;
      try {
        message = JSON.parse(raw);
      } catch {
        return;
      }
      for (const h of this.handlers) h(message);
    });
  }

  async ready(): Promise<void> {
    await this.sub.subscribe(this.channel);
  }

  /** `publish`, resolved once Redis has it (for short-lived processes such as the CLI). */
  async publishNow(message: unknown): Promise<void> {
    await this.pub.publish(this.channel, JSON.stringify(message));
  }

  publish(message: unknown): void {
    this.pub.publish(this.channel, JSON.stringify(message)).catch((error) => {
      this.errors += 1;
      this.log.warn('redis publish failed', { error });
    });
  }

  subscribe(handler: BusHandler): void {
    this.handlers.push(handler);
  }

  /** Its Redis connections, for the relay's health (relay.ts). */
  get clients(): Redis[] {
    return [this.pub, this.sub];
  }

  async close(): Promise<void> {
    this.sub.disconnect();
    this.pub.disconnect();
  }
}
