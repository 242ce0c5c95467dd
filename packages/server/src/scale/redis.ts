/**
 * Beyond one machine: with REDIS_URL set, Hocuspocus' Redis extension syncs every open
 * document between instances (and lets one instance store at a time), and the bus carries
 * notifications, board rows and share views to whichever instance holds the recipient.
 */
import { Redis as RedisExtension } from '@hocuspocus/extension-redis';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { LocalBus, RedisBus, type Bus } from './bus.js';

export function redisExtension(url: string): RedisExtension {
  const u = new URL(url);
  return new RedisExtension({
    host: u.hostname,
    port: Number(u.port || 6379),
    prefix: 'pitboard:doc',
    options: {
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {})
    }
  });
}

export async function openBus(config: Config, log: Logger): Promise<Bus> {
  if (!config.redisUrl) return new LocalBus();
  const bus = new RedisBus(config.redisUrl, log);
  await bus.ready();
  return bus;
}
