/**
 * Cold start with 10,000 stored jobs (targets.md): time from process start to /healthz 200,
 * and the time to open stored jobs (provider connect → synced). Prints figures. Bounded.
 *   npm run bench:cold-start
 */
import { createJob, readJob } from '@pitboard/job-model';
import * as Y from 'yjs';
import { addUser } from '../src/auth/users.js';
import { projectJob } from '../src/jobs/projection.js';
import { api, connect, openTestStorage, spawnServer, testDatabase } from '../test/helpers/server.js';

const JOBS = Number(process.env.COLD_JOBS ?? 10_000);
const db = await testDatabase();
const storage = await openTestStorage(db);
await addUser(storage, { role: 'manager', email: 'boss@b.dev', name: 'Boss', password: 'correct horse' });
const customer = await addUser(storage, { role: 'customer', email: 'c@b.dev', name: 'C' });
let t0 = performance.now();
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

t0 = performance.now();
const server = await spawnServer(db); // resolves when the process has logged "listening"
const listening = performance.now() - t0;
while (!(await fetch(`${server.url}/healthz`)).ok) await new Promise((r) => setTimeout(r, 5));
console.log(`cold start: process spawn → listening ${listening.toFixed(0)} ms, → /healthz 200 ${(performance.now() - t0).toFixed(0)} ms (includes Node + tsx start)`);

const { token } = (await api(server.url).post('/api/auth/login', { email: 'boss@b.dev', password: 'correct horse' })).body;
const opens: number[] = [];
for (let i = 0; i < 200; i++) {
  const id = `job${Math.floor(Math.random() * JOBS)}`;
  const s = performance.now();
  const c = await connect(server.wsUrl, `job:${id}`, token);
  opens.push(performance.now() - s);
  c.close();
}
opens.sort((a, b) => a - b);
const q = (p: number) => opens[Math.floor(p * (opens.length - 1))]!.toFixed(2);
console.log(`stored job open (connect → synced, cold): p50 ${q(0.5)} ms, p99 ${q(0.99)} ms`);
const t1 = performance.now();
const list = await api(server.url, token).get('/api/jobs?active=1');
console.log(`GET /api/jobs with ${list.body.length} jobs: ${(performance.now() - t1).toFixed(0)} ms`);
await server.kill('SIGKILL');
process.exit(0);
