/**
 * Sustained throughput against a bare Hocuspocus server (docs/product.md, Targets: ≥ 0.8 of its edits/s,
 * p99 ≤ 1.5×). Both servers run as child processes on copies of the same SQLite data (the same
 * 50 stored jobs); one writer and one reader per job, each writer sending its next edit as soon
 * as the reader saw the last one (closed loop), for THROUGHPUT_SECONDS, alternating servers.
 * Prints edits/s, edit → peer latency and the server's CPU time per edit. Bounded; stops itself.
 *   npm run bench:throughput     (THROUGHPUT_JOBS, THROUGHPUT_SECONDS, THROUGHPUT_ROUNDS)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJob, setItemDone } from '@pitboard/job-model';
import * as Y from 'yjs';
import { addUser } from '../src/auth/users.js';
import { api, connect, openTestStorage, spawnServer, tempDir, testDatabase, type Client } from '../test/helpers/server.js';

const JOBS = Number(process.env.THROUGHPUT_JOBS ?? 50);
const SECONDS = Number(process.env.THROUGHPUT_SECONDS ?? 8);
const ROUNDS = Number(process.env.THROUGHPUT_ROUNDS ?? 2);
const serverRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** utime + stime of a process, in ms. */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

interface Target {
  name: string;
  wsUrl: string;
  pid: number;
  writerToken: string | null;
  readerToken: string | null;
  stop(): Promise<void>;
}

async function startBare(dataDir: string): Promise<Target> {
  const child = spawn(process.execPath, ['--conditions=pitboard-source', '--import', 'tsx', 'bench/bare-server.ts'], {
    cwd: serverRoot,
    env: { ...process.env, DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit']
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /"port":(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', () => reject(new Error(`bare server exited: ${out}`)));
  });
  const exited = new Promise((r) => child.once('exit', r));
  return { name: 'bare Hocuspocus', wsUrl: `ws://127.0.0.1:${port}/`, pid: child.pid!, writerToken: null, readerToken: null, stop: async () => void (child.kill('SIGKILL'), await exited) };
}

// Seed: two users and JOBS jobs of 20 items, through the real API.
const db = await testDatabase();
const storage = await openTestStorage(db);
await addUser(storage, { role: 'manager', email: 'boss@t.dev', name: 'Boss', password: 'correct horse' });
await addUser(storage, { role: 'mechanic', email: 'theo@t.dev', name: 'Theo', password: 'correct horse' });
await storage.close();
const env = { MESSAGE_RATE_PER_SECOND: '100000', MESSAGE_RATE_BURST: '100000', LOG_LEVEL: 'info' };
let seeding = await spawnServer(db, env);
const login = async (url: string, email: string) => (await api(url).post('/api/auth/login', { email, password: 'correct horse' })).body as { token: string; user: { id: string } };
const boss = await login(seeding.url, 'boss@t.dev');
const theo = await login(seeding.url, 'theo@t.dev');
const jobIds: string[] = [];
for (let j = 0; j < JOBS; j++) {
  const items = Array.from({ length: 20 }, (_, i) => `Step ${i + 1}`);
  const { body } = await api(seeding.url, boss.token).post('/api/jobs', { bike: `T${j}`, customer: { name: 'C' }, items, mechanicId: theo.user.id });
  jobIds.push(body.id);
}
await seeding.kill('SIGTERM');
// The bare server gets a copy of the same stored documents.
const bareDir = tempDir();
fs.cpSync(db.dataDir, bareDir, { recursive: true });

async function startPitboard(): Promise<Target> {
  const s = await spawnServer(db, env);
  return { name: 'Pitboard', wsUrl: s.wsUrl, pid: s.child.pid!, writerToken: theo.token, readerToken: boss.token, stop: async () => void (await s.kill('SIGKILL')) };
}

async function run(target: Target) {
  const pairs: { writer: Client; reader: Client; items: string[] }[] = [];
  for (const id of jobIds) {
    const writer = await connect(target.wsUrl, `job:${id}`, target.writerToken);
    const reader = await connect(target.wsUrl, `job:${id}`, target.readerToken);
    pairs.push({ writer, reader, items: readJob(writer.doc).items.map((i) => i.id) });
  }
  await new Promise((r) => setTimeout(r, 500));
  const latencies: number[] = [];
  const cpu0 = cpuMs(target.pid);
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    pairs.map(async ({ writer, reader, items }) => {
      for (let k = 0; performance.now() < deadline; k++) {
        const item = items[k % items.length]!;
        const arrived = new Promise<void>((resolve) => reader.doc.once('update', () => resolve()));
        const t0 = performance.now();
        setItemDone(writer.doc, item, !readJob(writer.doc).items[k % items.length]!.done, theo.user.id, new Date().toISOString());
        await arrived;
        latencies.push(performance.now() - t0);
      }
    })
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuMs(target.pid) - cpu0;
  for (const p of pairs) {
    p.writer.close();
    p.reader.close();
  }
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  const row = { rate: latencies.length / seconds, p50: q(0.5), p99: q(0.99), cpuPerEdit: cpu / latencies.length };
  console.log(
    `${target.name.padEnd(16)} ${latencies.length} edits in ${seconds.toFixed(1)} s = ${row.rate.toFixed(0)} edits/s  ` +
      `p50 ${row.p50.toFixed(2)} ms  p99 ${row.p99.toFixed(2)} ms  server CPU ${row.cpuPerEdit.toFixed(3)} ms/edit`
  );
  return row;
}

console.log(`${JOBS} jobs, ${JOBS} writers + ${JOBS} readers, closed loop, ${SECONDS} s per run, ${ROUNDS} rounds`);
const results: Record<string, ReturnType<typeof run> extends Promise<infer R> ? R[] : never> = { bare: [], pitboard: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const which of ['bare', 'pitboard'] as const) {
    const target = which === 'bare' ? await startBare(bareDir) : await startPitboard();
    results[which].push(await run(target));
    await target.stop();
  }
}
const mean = (rows: { rate: number; p99: number; cpuPerEdit: number }[], k: 'rate' | 'p99' | 'cpuPerEdit') => rows.reduce((s, r) => s + r[k], 0) / rows.length;
console.log(
  `Pitboard / bare: sustained edits/s ×${(mean(results.pitboard, 'rate') / mean(results.bare, 'rate')).toFixed(2)} (target ≥ 0.8), ` +
    `p99 ×${(mean(results.pitboard, 'p99') / mean(results.bare, 'p99')).toFixed(2)} (target ≤ 1.5), ` +
    `server CPU per edit ×${(mean(results.pitboard, 'cpuPerEdit') / mean(results.bare, 'cpuPerEdit')).toFixed(2)}`
);
process.exit(0);
