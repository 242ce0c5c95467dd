/**
 * One instance against two (PostgreSQL, and Redis for two): the same workload — clients on
 * jobs, edits at a fixed total rate — and what it costs. Prints edit → peer latency, edits/s
 * achieved and the server processes' CPU time. Bounded: stops by itself.
 *   DATABASE_URL=postgres://… REDIS_URL=redis://… npm run bench:scale
 */
import fs from 'node:fs';
import { readJob, setItemDone } from '@pitboard/job-model';
import { addUser } from '../src/auth/users.js';
import { api, connect, openTestStorage, spawnServer, testDatabase, type ChildServer, type Client } from '../test/helpers/server.js';

const JOBS = Number(process.env.SCALE_JOBS ?? 50);
const CLIENTS_PER_JOB = 4;
const RATE = Number(process.env.SCALE_RATE ?? 200); // edits per second, in total
const SECONDS = Number(process.env.SCALE_SECONDS ?? 10);

function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks
}

async function run(instances: 1 | 2) {
  process.env.TEST_DATABASE_URL ??= process.env.DATABASE_URL;
  const db = await testDatabase();
  const storage = await openTestStorage(db);
  await addUser(storage, { role: 'manager', email: 'boss@b.dev', name: 'Boss', password: 'correct horse' });
  await addUser(storage, { role: 'mechanic', email: 'theo@b.dev', name: 'Theo', password: 'correct horse' });
  await storage.close();
  const env: Record<string, string> = { MESSAGE_RATE_PER_SECOND: '10000', MESSAGE_RATE_BURST: '10000', ...(instances === 2 ? { REDIS_URL: process.env.REDIS_URL! } : {}) };
  const servers: ChildServer[] = [];
  for (let i = 0; i < instances; i++) servers.push(await spawnServer(db, env));
  const login = async (email: string) => (await api(servers[0]!.url).post('/api/auth/login', { email, password: 'correct horse' })).body;
  const boss = await login('boss@b.dev');
  const theo = await login('theo@b.dev');

  const jobs: { clients: Client[]; ids: string[] }[] = [];
  for (let j = 0; j < JOBS; j++) {
    const { body } = await api(servers[0]!.url, boss.token).post('/api/jobs', { bike: `B${j}`, customer: { name: 'C' }, items: Array.from({ length: 10 }, (_, i) => `I${i}`), mechanicId: theo.user.id });
    const clients: Client[] = [];
    for (let c = 0; c < CLIENTS_PER_JOB; c++) clients.push(await connect(servers[c % instances]!.wsUrl, `job:${body.id}`, c === 0 ? theo.token : boss.token));
    jobs.push({ clients, ids: readJob(clients[0]!.doc).items.map((i) => i.id) });
  }

  const cpuBefore = servers.map((s) => cpuSeconds(s.child.pid!));
  const latencies: number[] = [];
  let sent = 0;
  const started = performance.now();
  const interval = 1000 / RATE;
  while (performance.now() - started < SECONDS * 1000) {
    const job = jobs[sent % JOBS]!;
    const writer = job.clients[0]!; // the mechanic, on the first instance
    const reader = job.clients[CLIENTS_PER_JOB - 1]!; // on the other instance when there are two
    const k = Math.floor(sent / JOBS) % job.ids.length;
    const t0 = performance.now();
    reader.doc.once('update', () => latencies.push(performance.now() - t0));
    setItemDone(writer.doc, job.ids[k]!, !readJob(writer.doc).items[k]!.done, theo.user.id, new Date().toISOString());
    sent += 1;
    const next = started + sent * interval;
    await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
  }
  await new Promise((r) => setTimeout(r, 1000));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = servers.map((s, i) => cpuSeconds(s.child.pid!) - cpuBefore[i]!);
  const sorted = [...latencies].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  console.log(
    `${instances} instance(s): ${JOBS * CLIENTS_PER_JOB} connections, ${JOBS} jobs, ${sent} edits in ${elapsed.toFixed(1)} s (${(sent / elapsed).toFixed(0)}/s), ` +
      `delivered ${latencies.length}, edit→peer p50 ${q(0.5).toFixed(2)} ms p99 ${q(0.99).toFixed(2)} ms, server CPU ${cpu.map((c) => c.toFixed(2)).join(' + ')} s`
  );
  for (const j of jobs) for (const c of j.clients) c.close();
  for (const s of servers) await s.kill('SIGKILL');
}

if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
  console.error('set DATABASE_URL (PostgreSQL) and REDIS_URL');
  process.exit(2);
}
await run(1);
await run(2);
process.exit(0);
