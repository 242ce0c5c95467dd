/**
 * What the benchmarks share: quantiles, a process's CPU time, and the two servers they compare
 * (Pitboard and a bare Hocuspocus server, each a child process on copies of the same SQLite
 * data, seeded through the real API). Nothing here prints; the benchmarks return figures.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addUser } from '../../src/auth/users.js';
import { api, openTestStorage, spawnServer, tempDir, testDatabase, type ChildServer, type TestDatabase } from '../../test/helpers/server.js';

const serverRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The `p` quantile (0..1) of `xs` (sorted in place); NaN for none. */
export function quantile(xs: number[], p: number): number {
  xs.sort((a, b) => a - b);
  return xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;
}

/** utime + stime of a process, in ms (Linux /proc). */
export function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

export function rssKiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A server under test: where to connect, its process (for CPU time), the tokens to use. */
export interface Target {
  name: 'bare' | 'pitboard';
  wsUrl: string;
  pid: number;
  writerToken: string | null;
  readerToken: string | null;
  stop(): Promise<void>;
}

/** Limits high enough that a benchmark's own rate never trips them. */
export const UNLIMITED = {
  MESSAGE_RATE_PER_SECOND: '1000000',
  MESSAGE_RATE_BURST: '1000000',
  LOGIN_LIMIT_PER_ACCOUNT: '100000',
  LOGIN_LIMIT_PER_ADDRESS: '100000',
  // Jobs far over the per-job budgets (20,000 notes) are what the tick benchmark measures.
  JOB_MAX_NOTES: '1000000',
  JOB_MAX_ITEMS: '100000',
  JOB_MAX_BYTES: '1073741824',
  LOG_LEVEL: 'info'
};

/** A workshop seeded through the real API: a manager, a mechanic, `jobs` jobs of `items` items. */
export interface Seeded {
  db: TestDatabase;
  /** A copy of the stored documents for the bare server. */
  bareDir: string;
  jobIds: string[];
  boss: { token: string; user: { id: string } };
  theo: { token: string; user: { id: string } };
}

export async function seedWorkshop(jobs: number, items: number): Promise<Seeded> {
  const db = await testDatabase();
  const storage = await openTestStorage(db);
  await addUser(storage, { role: 'manager', email: 'boss@t.dev', name: 'Boss', password: 'correct horse' });
  await addUser(storage, { role: 'mechanic', email: 'theo@t.dev', name: 'Theo', password: 'correct horse' });
  await storage.close();
  const server = await spawnServer(db, UNLIMITED);
  try {
    const login = async (email: string) => (await api(server.url).post('/api/auth/login', { email, password: 'correct horse' })).body;
    const boss = await login('boss@t.dev');
    const theo = await login('theo@t.dev');
    const jobIds: string[] = [];
    for (let j = 0; j < jobs; j++) {
      const titles = Array.from({ length: items }, (_, i) => `Step ${i + 1}`);
      const { body } = await api(server.url, boss.token).post('/api/jobs', { bike: `T${j}`, customer: { name: 'C' }, items: titles, mechanicId: theo.user.id });
      jobIds.push(body.id);
    }
    await server.kill('SIGTERM'); // a clean stop compacts: both servers start from snapshots
    const bareDir = tempDir();
    fs.cpSync(db.dataDir, bareDir, { recursive: true });
    return { db, bareDir, jobIds, boss, theo };
  } catch (error) {
    await server.kill('SIGKILL');
    throw error;
  }
}

/** Pitboard as `npm start`'s server core; with `cpuProfDir`, under `node --cpu-prof` (written at stop). */
export async function startPitboard(seeded: Seeded, cpuProfDir?: string): Promise<Target & { server: ChildServer }> {
  const s = await spawnServer(seeded.db, UNLIMITED, cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []);
  // SIGTERM lets node write the profile; otherwise there is nothing to wait for.
  return { name: 'pitboard', server: s, wsUrl: s.wsUrl, pid: s.child.pid!, writerToken: seeded.theo.token, readerToken: seeded.boss.token, stop: async () => void (await s.kill(cpuProfDir ? 'SIGTERM' : 'SIGKILL')) };
}

/** bench/bare-server.ts as a child process on `dataDir`. */
export async function startBare(dataDir: string): Promise<Target> {
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
  return { name: 'bare', wsUrl: `ws://127.0.0.1:${port}/`, pid: child.pid!, writerToken: null, readerToken: null, stop: async () => void (child.kill('SIGKILL'), await exited) };
}

export function startTarget(which: 'bare' | 'pitboard', seeded: Seeded, cpuProfDir?: string): Promise<Target> {
  return which === 'bare' ? startBare(seeded.bareDir) : startPitboard(seeded, cpuProfDir);
}

/** A workshop of `jobs` stored jobs for `use`, removed afterwards whatever happens. */
export async function withWorkshop<T>(jobs: number, items: number, use: (seeded: Seeded) => Promise<T>): Promise<T> {
  const seeded = await seedWorkshop(jobs, items);
  try {
    return await use(seeded);
  } finally {
    cleanUp(seeded);
  }
}

/** `measure` against each server in turn on the seeded data, each started fresh and always stopped. */
export async function eachServer(
  seeded: Seeded,
  servers: readonly ('bare' | 'pitboard')[],
  measure: (which: 'bare' | 'pitboard', target: Target) => Promise<void>,
  cpuProfDir?: string
): Promise<void> {
  for (const which of servers) {
    const target = await startTarget(which, seeded, cpuProfDir);
    try {
      await measure(which, target);
    } finally {
      await target.stop();
    }
  }
}

/** Removes a seeded workshop's files. */
export function cleanUp(seeded: Seeded): void {
  for (const dir of [seeded.db.dataDir, seeded.bareDir]) fs.rmSync(dir, { recursive: true, force: true });
}

/** Run as a script (not imported by the report)? */
export function isMain(url: string): boolean {
  return !!process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(url);
}
