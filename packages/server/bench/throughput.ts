/**
 * Sustained throughput against a bare Hocuspocus server (docs/product.md, Targets: ≥ 0.8 of its edits/s,
 * p99 ≤ 1.5×). Both servers run as child processes on copies of the same SQLite data (the same
 * stored jobs); one writer and one reader per job, each writer sending its next edit as soon
 * as the reader saw the last one (closed loop), for `seconds`, alternating servers each round.
 * Returns (and, as a script, prints) edits/s, edit → peer latency and server CPU time per edit.
 * Bounded; stops itself.
 *   npm run bench:throughput     (THROUGHPUT_JOBS, THROUGHPUT_SECONDS, THROUGHPUT_ROUNDS;
 *                                 THROUGHPUT_CPU_PROF=dir: Pitboard only, under node --cpu-prof)
 */
import { readJob, setItemDone } from '@pitboard/job-model';
import { connect, type Client } from '../test/helpers/server.js';
import { cpuMs, eachServer, isMain, quantile, sleep, withWorkshop, type Seeded, type Target } from './lib/common.js';

export interface ThroughputRow {
  rate: number;
  p50: number;
  p99: number;
  cpuPerEdit: number;
  edits: number;
}

async function run(target: Target, seeded: Seeded, seconds: number): Promise<ThroughputRow> {
  const pairs: { writer: Client; reader: Client; items: string[] }[] = [];
  for (const id of seeded.jobIds) {
    const writer = await connect(target.wsUrl, `job:${id}`, target.writerToken);
    const reader = await connect(target.wsUrl, `job:${id}`, target.readerToken);
    pairs.push({ writer, reader, items: readJob(writer.doc).items.map((i) => i.id) });
  }
  await sleep(500);
  const latencies: number[] = [];
  const cpu0 = cpuMs(target.pid);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    pairs.map(async ({ writer, reader, items }) => {
      for (let k = 0; performance.now() < deadline; k++) {
        const item = items[k % items.length]!;
        const arrived = new Promise<void>((resolve) => reader.doc.once('update', () => resolve()));
        const t0 = performance.now();
        setItemDone(writer.doc, item, !readJob(writer.doc).items[k % items.length]!.done, seeded.theo.user.id, new Date().toISOString());
        await arrived;
        latencies.push(performance.now() - t0);
      }
    })
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuMs(target.pid) - cpu0;
  for (const p of pairs) {
    p.writer.close();
    p.reader.close();
  }
  return { rate: latencies.length / elapsed, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), cpuPerEdit: cpu / latencies.length, edits: latencies.length };
}

/** `rounds` rounds, each running the bare server then Pitboard on the same stored jobs. */
export async function measureThroughput(options: { jobs: number; seconds: number; rounds: number; servers?: ('bare' | 'pitboard')[]; cpuProfDir?: string; log?: (line: string) => void }) {
  return withWorkshop(options.jobs, 20, async (seeded) => {
    const results: Record<'bare' | 'pitboard', ThroughputRow[]> = { bare: [], pitboard: [] };
    for (let round = 0; round < options.rounds; round++) {
      await eachServer(
        seeded,
        options.servers ?? ['bare', 'pitboard'],
        async (which, target) => {
          const row = await run(target, seeded, options.seconds);
          results[which].push(row);
          options.log?.(
            `${which.padEnd(9)} ${row.edits} edits in ${options.seconds} s = ${row.rate.toFixed(0)} edits/s  ` +
              `p50 ${row.p50.toFixed(2)} ms  p99 ${row.p99.toFixed(2)} ms  server CPU ${row.cpuPerEdit.toFixed(3)} ms/edit`
          );
        },
        options.cpuProfDir
      );
    }
    return results;
  });
}

if (isMain(import.meta.url)) {
  const jobs = Number(process.env.THROUGHPUT_JOBS ?? 50);
  const seconds = Number(process.env.THROUGHPUT_SECONDS ?? 8);
  const rounds = Number(process.env.THROUGHPUT_ROUNDS ?? 2);
  console.log(`${jobs} jobs, ${jobs} writers + ${jobs} readers, closed loop, ${seconds} s per run, ${rounds} rounds`);
  const cpuProfDir = process.env.THROUGHPUT_CPU_PROF;
  const results = await measureThroughput({ jobs, seconds, rounds, log: console.log, cpuProfDir, servers: cpuProfDir ? ['pitboard'] : undefined });
  if (cpuProfDir) {
    console.log(`CPU profile of the Pitboard server in ${cpuProfDir}`);
    process.exit(0);
  }
  const mean = (rows: ThroughputRow[], k: 'rate' | 'p99' | 'cpuPerEdit') => rows.reduce((s, r) => s + r[k], 0) / rows.length;
  console.log(
    `Pitboard / bare: sustained edits/s ×${(mean(results.pitboard, 'rate') / mean(results.bare, 'rate')).toFixed(2)} (target ≥ 0.8), ` +
      `p99 ×${(mean(results.pitboard, 'p99') / mean(results.bare, 'p99')).toFixed(2)} (target ≤ 1.5), ` +
      `server CPU per edit ×${(mean(results.pitboard, 'cpuPerEdit') / mean(results.bare, 'cpuPerEdit')).toFixed(2)}`
  );
  process.exit(0);
}
