/**
 * Cold start with many stored jobs (docs/product.md, Targets: 10,000 jobs; a stored job opened after a cold start
 * in < 5 ms at p99): time from process start to /healthz 200 (the shipped app when built, the
 * source via tsx for reference), and the time to open stored jobs that are not in memory
 * (provider attach → synced). Returns (and, as a script, prints) figures. Bounded.
 *   npm run bench:cold-start     (COLD_JOBS)
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
import { isMain, quantile } from './lib/common.js';

export interface ColdStartFigures {
  jobs: number;
  /** Which server answered the opens: the shipped app when built, else the source via tsx. */
  entry: 'shipped' | 'source';
  startToHealthzMs: { source: number; shipped: number | null };
  /** Attach → synced on an open socket, each job loaded from storage (as the web app opens one). */
  openOnSocket: { n: number; p50: number; p99: number };
  /** The same on a new connection per job (WebSocket handshake included). */
  openWithConnect: { n: number; p50: number; p99: number };
  listActiveMs: number;
}

export async function measureColdStart(options: { jobs: number; opens: number; log?: (line: string) => void }): Promise<ColdStartFigures> {
  const log = options.log ?? (() => {});
  const JOBS = options.jobs;
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
  log(`stored ${JOBS} jobs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  /** Spawn → listening → /healthz 200, for one way of running the server. */
  async function coldStart(label: string, spawnIt: () => Promise<ChildServer>): Promise<{ server: ChildServer; ms: number }> {
    const t0 = performance.now();
    const server = await spawnIt(); // resolves when the process has logged "listening"
    const listening = performance.now() - t0;
    while (!(await fetch(`${server.url}/healthz`)).ok) await new Promise((r) => setTimeout(r, 5));
    const ms = performance.now() - t0;
    log(`cold start, ${label}: spawn → listening ${listening.toFixed(0)} ms, → /healthz 200 ${ms.toFixed(0)} ms`);
    return { server, ms };
  }

  // The source through tsx (what tests and `vite dev` run): for reference, it transpiles at start.
  const fromSource = await coldStart('source via tsx (dev)', () => spawnServer(db));
  await fromSource.server.kill('SIGTERM');
  // What `npm start` runs, and what the target is about.
  const shipped = fs.existsSync(path.resolve(path.dirname(shippedEntry), 'build/handler.js'));
  if (!shipped) log('cold start, shipped app: not measured — run `npm run build` first');
  // The bench opens hundreds of jobs a second on one socket, far above the per-connection limit.
  const unlimited = { MESSAGE_RATE_PER_SECOND: '1000000', MESSAGE_RATE_BURST: '1000000' };
  const { server, ms } = await coldStart(shipped ? 'shipped app (node apps/web/server.js)' : 'source via tsx (dev)', () => (shipped ? spawnShippedApp(db, unlimited) : spawnServer(db, unlimited)));
  try {
    const { token } = (await api(server.url).post('/api/auth/login', { email: 'boss@b.dev', password: 'correct horse' })).body;
    const randomJob = () => `job:job${Math.floor(Math.random() * JOBS)}`;

    // As the web app opens a job: a document on the tab's one socket (authenticate, load, sync).
    const socket = new HocuspocusProviderWebsocket({ url: server.wsUrl, WebSocketPolyfill: WebSocket });
    const onSocket: number[] = [];
    for (let i = 0; i < options.opens; i++) {
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
    const figures = (xs: number[]) => ({ n: xs.length, p50: quantile(xs, 0.5), p99: quantile(xs, 0.99) });
    const openOnSocket = figures(onSocket);
    log(`stored job opened on an open socket (as the web app does; attach → synced, each job loaded from storage): p50 ${openOnSocket.p50.toFixed(2)} ms, p99 ${openOnSocket.p99.toFixed(2)} ms`);

    // A client that opens a new connection per job pays the WebSocket handshake too.
    const withConnect: number[] = [];
    for (let i = 0; i < Math.ceil(options.opens * 0.7); i++) {
      const s = performance.now();
      const c = await connect(server.wsUrl, randomJob(), token);
      withConnect.push(performance.now() - s);
      c.close();
    }
    const openWithConnect = figures(withConnect);
    log(`stored job opened on a new connection (WebSocket handshake included): p50 ${openWithConnect.p50.toFixed(2)} ms, p99 ${openWithConnect.p99.toFixed(2)} ms`);

    const t1 = performance.now();
    const list = await api(server.url, token).get('/api/jobs?active=1');
    const listActiveMs = performance.now() - t1;
    log(`GET /api/jobs with ${list.body.length} jobs: ${listActiveMs.toFixed(0)} ms`);
    return { jobs: JOBS, entry: shipped ? 'shipped' : 'source', startToHealthzMs: { source: fromSource.ms, shipped: shipped ? ms : null }, openOnSocket, openWithConnect, listActiveMs };
  } finally {
    await server.kill('SIGKILL');
    fs.rmSync(db.dataDir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  await measureColdStart({ jobs: Number(process.env.COLD_JOBS ?? 10_000), opens: 300, log: console.log });
  process.exit(0);
}
