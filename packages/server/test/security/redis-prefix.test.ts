/**
 * Two deployments (two workshops, each with its own database) on one Redis: with their own
 * REDIS_PREFIX they never hear each other — not even with different Redis database numbers,
 * which pub/sub channels ignore. Needs REDIS_URL (the shared Redis is only published to and
 * subscribed on, under prefixes unique to this test). docs/security.md, section 8.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { api, connect, createUser, openInbox, startTestServer, waitFor, type Client, type TestServer } from '../helpers/server.js';

const redisUrl = process.env.REDIS_URL;

/** The shared Redis' URL on another database number. */
function onDatabase(url: string, db: number): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

describe.skipIf(!redisUrl)(`security: deployments sharing one Redis${redisUrl ? '' : ' (skipped: needs REDIS_URL)'}`, () => {
  const servers: TestServer[] = [];
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const s of servers.splice(0)) await s.stop();
  });

  async function deployment(name: string, db: number) {
    const prefix = `${name}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const server = await startTestServer({ env: { REDIS_URL: onDatabase(redisUrl!, db), REDIS_PREFIX: prefix } });
    servers.push(server);
    const manager = await createUser(server.pitboard, 'manager');
    const mechanic = await createUser(server.pitboard, 'mechanic');
    const newJob = async (bike: string) =>
      (await api(server.url, manager.token).post('/api/jobs', { bike, customer: { name: 'C' }, items: ['A'], mechanicId: mechanic.id })).body.id as string;
    return { server, prefix, manager, mechanic, newJob };
  }

  it('job rows of one deployment never reach the other’s board, whatever the database numbers', async () => {
    const one = await deployment('shop-one', 1);
    const two = await deployment('shop-two', 2);
    const board = await openInbox(one.server.wsUrl, one.manager);
    clients.push(board);

    // The other shop's job is published first; the board's own job after it, on the same Redis:
    // by the time its own row arrives, a leaked one would have too.
    const foreign = await two.newJob('Other shop');
    const own = await one.newJob('Own shop');
    await waitFor(() => board.messages.some((m) => m.type === 'job' && m.job.id === own), 10_000, 'the board’s own job row');
    expect(board.messages.filter((m) => m.type === 'job' && m.job.id === foreign)).toEqual([]);
  });

  it('every channel a deployment uses starts with its REDIS_PREFIX', async () => {
    const one = await deployment('shop-one', 0);
    const jobId = await one.newJob('Channels');
    const doc = await connect(one.server.wsUrl, `job:${jobId}`, one.mechanic.token);
    const board = await openInbox(one.server.wsUrl, one.manager);
    clients.push(doc, board);
    const probe = new Redis(redisUrl!);
    try {
      await waitFor(async () => ((await probe.pubsub('CHANNELS', `*${jobId}*`)) as string[]).length > 0, 10_000, 'the job’s channel');
      const jobChannels = (await probe.pubsub('CHANNELS', `*${jobId}*`)) as string[];
      expect(jobChannels).toEqual([`${one.prefix}:doc:job:${jobId}`]);
      const inboxChannels = (await probe.pubsub('CHANNELS', `*${one.manager.id}*`)) as string[];
      expect(inboxChannels).toEqual([`${one.prefix}:doc:inbox:${one.manager.id}`]);
      const busSubscribers = (await probe.pubsub('NUMSUB', `${one.prefix}:bus`)) as [string, number];
      expect(Number(busSubscribers[1])).toBe(1);
    } finally {
      probe.disconnect();
    }
  });
});

describe('security: REDIS_PREFIX is checked at start', () => {
  it('refuses a prefix that could reach into another deployment’s keys', () => {
    for (const bad of ['shop*', 'a:b', 'with space', 'x'.repeat(65)]) {
      expect(() => loadConfig({ REDIS_PREFIX: bad } as NodeJS.ProcessEnv)).toThrow(/REDIS_PREFIX must be 1 to 64 letters, digits, dots, dashes or underscores/);
    }
    expect(loadConfig({ REDIS_PREFIX: 'shop-one_2.eu' } as NodeJS.ProcessEnv).redisPrefix).toBe('shop-one_2.eu');
    expect(loadConfig({} as NodeJS.ProcessEnv).redisPrefix).toBe('pitboard');
  });
});
