/**
 * Cold start with 10,000 stored jobs (docs/product.md, Targets): time from process start to /healthz 200 (the
 * shipped app when built, the source via tsx for reference), and the time to open stored jobs
 * that are not in memory (provider attach → synced). Prints figures. Bounded.
 *   npm run bench:cold-start
 */
import fs from 'node:fs';
import path from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { createJob, readJob } from '@pitboard/job-model';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { addUser } from '../src/auth/users.js';
import { projectJob } from '../src/jobs/projection.js';
import { api, connect, openTestStorage, shippedEntry, spawnServer, spawnShippedApp, testDatabase, type ChildServer } from '../test/helpers/server.js';

const JOBS = Number(process.env.COLD_JOBS ?? 10_000);
const db = await testDatabase();
const storage = await openTestStorage(db);
await addUser(storage, { role: 'manager', email: 'boss@b.dev', name: 'Boss', password: 'correct horse' });
const customer = await addUser(storage, { role: 'customer', email: 'c@b.dev', name: 'C' });
const t0 = performance.now();
for (let i = 0; i < JOBS; i++) {
  await storage.createJob((number) => {
    const doc = new Y.Doc();
    const id = `job${i}`;
    const createdAt = new Date().toISOString();
    createJob(doc, { id, number, bike: `Bike ${i}`, customerId: customer.id, customerName: 'C', items: ['Brakes', 'Gears', 'Chain', 'Tyres'], createdAt });
    return { row: projectJob(readJob(doc), null, createdAt), documentName: `job:${id}`, update: Y.encodeStateAsUpdate(doc) };
  });
}
await storage.close();
console.log(`stored ${JOBS} jobs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

/** Spawn → listening → /healthz 200, for one way of running the server. */
async function coldStart(label: string, spawnIt: () => Promise<ChildServer>): Promise<ChildServer> {
  const t0 = performance.now();
  const server = await spawnIt(); // resolves when the process has logged "listening"
  const listening = performance.now() - t0;
  while (!(await fetch(`${server.url}/healthz`)).ok) await new Promise((r) => setTimeout(r, 5));
  console.log(`cold start, ${label}: spawn → listening ${listening.toFixed(0)} ms, → /healthz 200 ${(performance.now() - t0).toFixed(0)} ms`);
  return server;
}

// The source through tsx (what tests and `vite dev` run): for reference, it transpiles at start.
await (await coldStart('source via tsx (dev)', () => spawnServer(db))).kill('SIGTERM');
// What `npm start` runs, and what the target is about.
const shipped = fs.existsSync(path.resolve(path.dirname(shippedEntry), 'build/handler.js'));
if (!shipped) console.log('cold start, shipped app: not measured — run `npm run build` first');
// The bench opens hundreds of jobs a second on one socket, far above the per-connection limit.
const unlimited = { MESSAGE_RATE_PER_SECOND: '1000000', MESSAGE_RATE_BURST: '1000000' };
const server = await coldStart(shipped ? 'shipped app (node apps/web/server.js)' : 'source via tsx (dev)', () => (shipped ? spawnShippedApp(db, unlimited) : spawnServer(db, unlimited)));

const { token } = (await api(server.url).post('/api/auth/login', { email: 'boss@b.dev', password: 'correct horse' })).body;
const quantiles = (xs: number[]) => {
  xs.sort((a, b) => a - b);
  const q = (p: number) => xs[Math.floor(p * (xs.length - 1))]!.toFixed(2);
  return `p50 ${q(0.5)} ms, p99 ${q(0.99)} ms`;
};
const randomJob = () => `job:job${Math.floor(Math.random() * JOBS)}`;

// As the web app opens a job: a document on the tab's one socket (authenticate, load, sync).
const socket = new HocuspocusProviderWebsocket({ url: server.wsUrl, WebSocketPolyfill: WebSocket });
const onSocket: number[] = [];
for (let i = 0; i < 300; i++) {
  const s = performance.now();
  const provider = await new Promise<HocuspocusProvider>((resolve, reject) => {
    const p = new HocuspocusProvider({
      websocketProvider: socket,
      name: randomJob(),
      token,
      awareness: null, // as the web app: no presence
      onSynced: () => resolve(p),
      onAuthenticationFailed: ({ reason }) => reject(new Error(reason)),
      onClose: ({ event }) => event.reason && reject(new Error(`closed: ${event.reason}`))
    });
    p.attach();
    setTimeout(() => reject(new Error('no answer in 10 s')), 10_000).unref();
  });
  onSocket.push(performance.now() - s);
  provider.destroy();
}
socket.destroy();
console.log(`stored job opened on an open socket (as the web app does; attach → synced, each job loaded from storage): ${quantiles(onSocket)}`);

// A client that opens a new connection per job pays the WebSocket handshake too.
const withConnect: number[] = [];
for (let i = 0; i < 200; i++) {
  const s = performance.now();
  const c = await connect(server.wsUrl, randomJob(), token);
  withConnect.push(performance.now() - s);
  c.close();
}
console.log(`stored job opened on a new connection (WebSocket handshake included): ${quantiles(withConnect)}`);

const t1 = performance.now();
const list = await api(server.url, token).get('/api/jobs?active=1');
console.log(`GET /api/jobs with ${list.body.length} jobs: ${(performance.now() - t1).toFixed(0)} ms`);
await server.kill('SIGKILL');
process.exit(0);
