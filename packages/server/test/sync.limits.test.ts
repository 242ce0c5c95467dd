/**
 * Malformed and abusive input (docs/product.md, Targets): oversized messages, floods, random and truncated
 * frames, bad Yjs updates. The server drops the one connection, never crashes, never stores
 * it, and serves the next client normally.
 */
import { readJob } from '@pitboard/job-model';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateFrame } from './helpers/frames.js';
import { api, connect, createUser, startTestServer, waitFor, type TestServer, type TestUser } from './helpers/server.js';

describe('sync: malformed and abusive input', () => {
  let t: TestServer;
  let boss: TestUser;
  let jobId: string;

  beforeAll(async () => {
    t = await startTestServer({ env: { MESSAGE_RATE_PER_SECOND: '20', MESSAGE_RATE_BURST: '40' } });
    boss = await createUser(t.pitboard, 'manager');
    jobId = (await api(t.url, boss.token).post('/api/jobs', { bike: 'Sturdy', customer: { name: 'C' }, items: ['A'] })).body.id;
  });
  afterAll(() => t.stop());

  async function stillServes() {
    expect((await api(t.url).get('/healthz')).status).toBe(200);
    const c = await connect(t.wsUrl, `job:${jobId}`, boss.token);
    expect(readJob(c.doc).bike).toBe('Sturdy');
    c.close();
  }

  async function rawSocket(): Promise<WebSocket> {
    const ws = new WebSocket(t.wsUrl);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return ws;
  }

  it('an oversized message closes that socket (1009) and nothing else', async () => {
    const ws = await rawSocket();
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(new Uint8Array(2 * 1024 * 1024));
    expect(await closed).toBe(1009);
    await stillServes();
  });

  it('random and truncated frames never crash the server', async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 30; i++) {
      const ws = await rawSocket();
      const bytes = new Uint8Array(1 + Math.floor(random() * 200)).map(() => Math.floor(random() * 256));
      ws.send(bytes);
      ws.send(updateFrame(`job:${jobId}`, bytes).slice(0, Math.max(1, Math.floor(bytes.length / 2))));
      ws.close();
    }
    await stillServes();
  });

  it('a bad Yjs update from a signed-in client closes its document and is not stored', async () => {
    const c = await connect(t.wsUrl, `job:${jobId}`, boss.token);
    const before = await t.pitboard.storage.countLoggedUpdates(`job:${jobId}`);
    const socket = (c.socket as unknown as { webSocket: WebSocket }).webSocket;
    socket.send(updateFrame(`job:${jobId}`, new Uint8Array([1, 2, 3, 250, 251, 252, 9, 9, 9])));
    await waitFor(() => c.closes.length > 0, 3000, 'document closed');
    expect(c.closes[0]).toMatchObject({ reason: 'malformed update', why: 'malformed_update' });
    expect(await t.pitboard.storage.countLoggedUpdates(`job:${jobId}`)).toBe(before);
    c.close();
    await stillServes();
  });

  it('a flooding client is closed with a reason; another client is unaffected', async () => {
    const flood = await connect(t.wsUrl, `job:${jobId}`, boss.token);
    const calm = await connect(t.wsUrl, `job:${jobId}`, boss.token);
    for (let i = 0; i < 200; i++) flood.provider.sendStateless('{"type":"noise"}');
    await waitFor(() => flood.closes.length > 0, 3000, 'flooder closed');
    expect(flood.closes[0]).toMatchObject({ reason: 'too many messages: slow down', why: 'rate_limited' });
    // Operators see it: the limit is counted on /metrics.
    expect(await (await fetch(`${t.url}/metrics`)).text()).toMatch(/^pitboard_rate_limited_total [1-9]\d*$/m);
    calm.doc.getMap('job').set('description', 'still fine');
    await calm.settled();
    expect(calm.closes).toEqual([]);
    flood.close();
    calm.close();
  });
});
