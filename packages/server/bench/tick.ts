/**
 * Server CPU per tick on a job with many notes against one with few (target: a job with 20,000
 * notes within 1.5× of a job with 20). Two jobs are stored directly (a 20,000-note document is
 * far over what one client message may carry), then a mechanic ticks items on each in turn,
 * one tick at a time (closed loop: the next tick when a second client saw the last), and the
 * server process's CPU time is divided by the ticks. Bounded; stops itself.
 *   npm run bench:tick     (TICK_NOTES=20,20000 TICK_COUNT=200 TICK_ROUNDS=2; TICK_CPU_PROF=dir profiles the server)
 */
import fs from 'node:fs';
import { readJob, setItemDone } from '@pitboard/job-model';
import { addUser } from '../src/auth/users.js';
import { storeBigJob } from '../test/helpers/big-job.js';
import { api, connect, openTestStorage, spawnServer, testDatabase } from '../test/helpers/server.js';
import { cpuMs, isMain, quantile, UNLIMITED } from './lib/common.js';

const WARM_UP_TICKS = 40;

export interface TickRow {
  notes: number;
  cpuPerTick: number[];
  p50: number;
}

export async function measureTickCost(options: { notes: number[]; ticks: number; rounds: number; cpuProfDir?: string; log?: (line: string) => void }) {
  const db = await testDatabase();
  const storage = await openTestStorage(db);
  await addUser(storage, { role: 'manager', email: 'boss@k.dev', name: 'Boss', password: 'correct horse' });
  const theoUser = await addUser(storage, { role: 'mechanic', email: 'theo@k.dev', name: 'Theo', password: 'correct horse' });
  const customer = await addUser(storage, { role: 'customer', email: 'c@k.dev', name: 'C' });
  const jobIds: string[] = [];
  for (const [i, notes] of options.notes.entries()) {
    await storeBigJob(storage, { id: `tick${i}`, notes, items: 20 }, customer.id, theoUser.id);
    jobIds.push(`tick${i}`);
  }
  await storage.close();
  const nodeArgs = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [];
  const server = await spawnServer(db, UNLIMITED, nodeArgs);
  const rows: TickRow[] = options.notes.map((notes) => ({ notes, cpuPerTick: [], p50: NaN }));
  try {
    const login = async (email: string) => (await api(server.url).post('/api/auth/login', { email, password: 'correct horse' })).body;
    const boss = await login('boss@k.dev');
    const theo = await login('theo@k.dev');
    const pairs = [];
    for (const id of jobIds) {
      const writer = await connect(server.wsUrl, `job:${id}`, theo.token);
      const reader = await connect(server.wsUrl, `job:${id}`, boss.token);
      pairs.push({ writer, reader, items: readJob(writer.doc).items.map((i) => i.id) });
    }
    // Unmeasured warm-up on each job: the first ticks after a load pay one-off costs (the
    // collection of the load's garbage, compiling the hot paths), which are not per-tick work.
    for (const { writer, reader, items } of pairs) {
      for (let k = 0; k < WARM_UP_TICKS; k++) {
        const arrived = new Promise<void>((resolve) => reader.doc.once('update', () => resolve()));
        setItemDone(writer.doc, items[k % items.length]!, !readJob(writer.doc).items[k % items.length]!.done, theo.user.id, new Date().toISOString());
        await arrived;
      }
    }
    await new Promise((r) => setTimeout(r, 500));
    for (let round = 0; round < options.rounds; round++) {
      for (const [j, { writer, reader, items }] of pairs.entries()) {
        const cpu0 = cpuMs(server.child.pid!);
        for (let k = 0; k < options.ticks; k++) {
          const arrived = new Promise<void>((resolve) => reader.doc.once('update', () => resolve()));
          const item = items[k % items.length]!;
          const done = !readJob(writer.doc).items[k % items.length]!.done;
          setItemDone(writer.doc, item, done, theo.user.id, new Date().toISOString());
          await arrived;
        }
        // Let the projection and notifications of the last tick finish inside the measured span.
        await new Promise((r) => setTimeout(r, 200));
        const perTick = (cpuMs(server.child.pid!) - cpu0) / options.ticks;
        rows[j]!.cpuPerTick.push(perTick);
        options.log?.(`round ${round + 1}: job with ${options.notes[j]} notes: server CPU ${perTick.toFixed(3)} ms per tick (${options.ticks} ticks)`);
      }
    }
    for (const p of pairs) {
      p.writer.close();
      p.reader.close();
    }
  } finally {
    // SIGTERM so that --cpu-prof writes its profile.
    await server.kill(options.cpuProfDir ? 'SIGTERM' : 'SIGKILL');
    fs.rmSync(db.dataDir, { recursive: true, force: true });
  }
  for (const r of rows) r.p50 = quantile([...r.cpuPerTick], 0.5);
  return rows;
}

if (isMain(import.meta.url)) {
  const notes = (process.env.TICK_NOTES ?? '20,20000').split(',').map(Number);
  const ticks = Number(process.env.TICK_COUNT ?? 200);
  const rounds = Number(process.env.TICK_ROUNDS ?? 2);
  const rows = await measureTickCost({ notes, ticks, rounds, cpuProfDir: process.env.TICK_CPU_PROF, log: console.log });
  const base = rows[0]!;
  for (const r of rows.slice(1)) console.log(`${r.notes} notes / ${base.notes} notes: CPU per tick ×${(r.p50 / base.p50).toFixed(2)} (target ≤ 1.5)`);
  process.exit(0);
}
