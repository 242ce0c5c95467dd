/**
 * The embedded default under load (docs/product.md, Targets): 2,000 open WebSocket connections on 500 jobs,
 * 500 edits/s in total. Prints edit → peer latency, errors, dropped connections, and the server's
 * memory per idle connection and per loaded job document. Bounded: stops by itself.
 *   npm run bench:load            (LOAD_CONNECTIONS, LOAD_JOBS, LOAD_RATE, LOAD_SECONDS)
 */
import fs from 'node:fs';
import { readJob, setItemDone } from '@pitboard/job-model';
import * as Y from 'yjs';
import { addUser } from '../src/auth/users.js';
import { api, connect, openTestStorage, spawnServer, testDatabase, type Client } from '../test/helpers/server.js';

const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 2000);
const JOBS = Number(process.env.LOAD_JOBS ?? 500);
const RATE = Number(process.env.LOAD_RATE ?? 500);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 10);

const rssKiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

const db = await testDatabase();
const storage = await openTestStorage(db);
await addUser(storage, { role: 'manager', email: 'boss@l.dev', name: 'Boss', password: 'correct horse' });
await addUser(storage, { role: 'mechanic', email: 'theo@l.dev', name: 'Theo', password: 'correct horse' });
await storage.close();
const server = await spawnServer(db, { MESSAGE_RATE_PER_SECOND: '10000', MESSAGE_RATE_BURST: '10000', LOG_LEVEL: 'info' });
const pid = server.child.pid!;
const login = async (email: string) => (await api(server.url).post('/api/auth/login', { email, password: 'correct horse' })).body;
const boss = await login('boss@l.dev');
const theo = await login('theo@l.dev');

const jobIds: string[] = [];
for (let j = 0; j < JOBS; j++) {
  const { body } = await api(server.url, boss.token).post('/api/jobs', { bike: `L${j}`, customer: { name: 'C' }, items: Array.from({ length: 10 }, (_, i) => `I${i}`), mechanicId: theo.user.id });
  jobIds.push(body.id);
}
await new Promise((r) => setTimeout(r, 500));
const rssStart = rssKiB(pid);

// One connection per client, as browsers have (each provider here has its own socket).
const perJob = Math.max(2, Math.floor(CONNECTIONS / JOBS));
const jobs: { clients: Client[]; ids: string[] }[] = [];
let opened = 0;
for (const id of jobIds) {
  const clients: Client[] = [];
  for (let c = 0; c < perJob && opened < CONNECTIONS; c++, opened++) clients.push(await connect(server.wsUrl, `job:${id}`, c === 0 ? theo.token : boss.token, new Y.Doc()));
  jobs.push({ clients, ids: readJob(clients[0]!.doc).items.map((i) => i.id) });
}
await new Promise((r) => setTimeout(r, 1000));
const rssLoaded = rssKiB(pid);
console.log(`${opened} connections on ${JOBS} loaded jobs: server RSS ${rssStart} → ${rssLoaded} KiB, ≈ ${((rssLoaded - rssStart) / opened).toFixed(1)} KiB per connection incl. its share of a loaded job`);

let closed = 0;
for (const j of jobs) for (const c of j.clients) c.socket.on('close', () => (closed += 1));
const latencies: number[] = [];
let sent = 0;
const started = performance.now();
while (performance.now() - started < SECONDS * 1000) {
  const job = jobs[sent % jobs.length]!;
  const k = Math.floor(sent / jobs.length) % job.ids.length;
  const t0 = performance.now();
  job.clients[1]!.doc.once('update', () => latencies.push(performance.now() - t0));
  setItemDone(job.clients[0]!.doc, job.ids[k]!, !readJob(job.clients[0]!.doc).items[k]!.done, theo.user.id, new Date().toISOString());
  sent += 1;
  const next = started + (sent * 1000) / RATE;
  const wait = next - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
await new Promise((r) => setTimeout(r, 2000));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]?.toFixed(2);
console.log(`${sent} edits in ${elapsed.toFixed(1)} s (${(sent / elapsed).toFixed(0)}/s offered ${RATE}/s): delivered ${latencies.length}, edit→peer p50 ${q(0.5)} ms p90 ${q(0.9)} ms p99 ${q(0.99)} ms, dropped connections ${closed}`);
const errors = (server.output().match(/"level":"error"/g) ?? []).length;
console.log(`server errors logged: ${errors}; server RSS after load ${rssKiB(pid)} KiB`);
for (const j of jobs) for (const c of j.clients) c.close();
await server.kill('SIGKILL');
process.exit(0);
