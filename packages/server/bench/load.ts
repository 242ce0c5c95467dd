/**
 * The embedded default under load (docs/product.md, Targets: 2,000 open WebSocket connections on 500 jobs,
 * 500 edits/s in total, p99 < 50 ms). Open loop: edits leave at the offered rate whatever the
 * server does. `measureLoad` runs a sweep of offered rates on one set of connections, on
 * Pitboard or on the bare Hocuspocus server (for the report's latency-against-load chart).
 * As a script: Pitboard at one rate, plus memory per connection, errors and dropped connections.
 * Bounded: stops by itself.
 *   npm run bench:load            (LOAD_CONNECTIONS, LOAD_JOBS, LOAD_RATE, LOAD_SECONDS)
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readJob, setItemDone } from '@pitboard/job-model';
import * as Y from 'yjs';
import { connect, type Client } from '../test/helpers/server.js';
import { cleanUp, cpuMs, eachServer, isMain, quantile, rssKiB, seedWorkshop, sleep, startPitboard, withWorkshop, type Seeded, type Target } from './lib/common.js';

export interface LoadRow {
  offered: number;
  /** Edits actually sent per second (the sender itself can fall behind on a busy machine). */
  sent: number;
  delivered: number;
  p50: number;
  p90: number;
  p99: number;
  cpuPerEdit: number;
  dropped: number;
  /** p99 event-loop delay of the load generator itself (ms): large means it, not the server, lagged. */
  generatorLagP99: number;
}

/** Connections spread over the seeded jobs: a writer (the mechanic) and readers per job. */
async function open(target: Target, seeded: Seeded, connections: number) {
  const perJob = Math.max(2, Math.floor(connections / seeded.jobIds.length));
  const jobs: { clients: Client[]; ids: string[] }[] = [];
  let opened = 0;
  for (const id of seeded.jobIds) {
    const clients: Client[] = [];
    for (let c = 0; c < perJob && opened < connections; c++, opened++) {
      clients.push(await connect(target.wsUrl, `job:${id}`, c === 0 ? target.writerToken : target.readerToken, new Y.Doc()));
    }
    if (clients.length >= 2) jobs.push({ clients, ids: readJob(clients[0]!.doc).items.map((i) => i.id) });
  }
  let dropped = 0;
  for (const j of jobs) for (const c of j.clients) c.socket.on('close', () => (dropped += 1));
  return { jobs, opened, dropped: () => dropped, close: () => jobs.forEach((j) => j.clients.forEach(closeQuietly)) };
}

/**
 * Closes a client whose socket may be reconnecting after the server dropped it under overload:
 * `ws` then reports "closed before the connection was established" as an 'error' event, which
 * with no listener ended the whole report (it did on a machine at load average 20).
 */
function closeQuietly(c: Client) {
  const ws = (c.socket as unknown as { webSocket?: { on?(event: string, f: () => void): void } }).webSocket;
  ws?.on?.('error', () => {}); // the client is being thrown away: its socket's last error is not news
  c.close();
}

async function offer(target: Target, seeded: Seeded, jobs: { clients: Client[]; ids: string[] }[], rate: number, seconds: number, dropped: () => number): Promise<LoadRow> {
  const dropped0 = dropped();
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const latencies: number[] = [];
  let sent = 0;
  const cpu0 = cpuMs(target.pid);
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    const job = jobs[sent % jobs.length]!;
    const k = Math.floor(sent / jobs.length) % job.ids.length;
    const t0 = performance.now();
    job.clients[1]!.doc.once('update', () => latencies.push(performance.now() - t0));
    setItemDone(job.clients[0]!.doc, job.ids[k]!, !readJob(job.clients[0]!.doc).items[k]!.done, seeded.theo.user.id, new Date().toISOString());
    sent += 1;
    const wait = started + (sent * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
  }
  const sending = (performance.now() - started) / 1000;
  // Let the backlog drain, bounded: what has not arrived by then counts as not delivered.
  for (let t = 0; t < 40 && latencies.length < sent; t++) await sleep(100);
  const cpu = cpuMs(target.pid) - cpu0;
  lag.disable();
  return {
    offered: rate,
    sent: sent / sending,
    delivered: latencies.length / sent,
    p50: quantile(latencies, 0.5),
    p90: quantile(latencies, 0.9),
    p99: quantile(latencies, 0.99),
    cpuPerEdit: cpu / Math.max(1, sent),
    dropped: dropped() - dropped0,
    generatorLagP99: lag.percentile(99) / 1e6
  };
}

/** For each server: open `connections` on `jobs` jobs once, then offer each rate for `seconds`. */
export async function measureLoad(options: { connections: number; jobs: number; rates: number[]; seconds: number; servers: ('bare' | 'pitboard')[]; log?: (line: string) => void }) {
  return withWorkshop(options.jobs, 10, async (seeded) => {
    const results: Partial<Record<'bare' | 'pitboard', LoadRow[]>> = {};
    await eachServer(seeded, options.servers, async (which, target) => {
      const conns = await open(target, seeded, options.connections);
      // Warm up (documents just loaded are projected once, the JIT settles): not measured.
      await offer(target, seeded, conns.jobs, options.rates[0]!, 2, conns.dropped);
      await sleep(1000);
      const rows: LoadRow[] = [];
      for (const rate of options.rates) {
        const row = await offer(target, seeded, conns.jobs, rate, options.seconds, conns.dropped);
        rows.push(row);
        options.log?.(
          `${which.padEnd(9)} ${conns.opened} connections, offered ${rate}/s, sent ${row.sent.toFixed(0)}/s: delivered ${(row.delivered * 100).toFixed(1)}%, ` +
            `edit→peer p50 ${row.p50.toFixed(2)} ms p90 ${row.p90.toFixed(2)} ms p99 ${row.p99.toFixed(2)} ms, CPU ${row.cpuPerEdit.toFixed(3)} ms/edit, dropped ${row.dropped}, generator lag p99 ${row.generatorLagP99.toFixed(0)} ms`
        );
      }
      conns.close();
      results[which] = rows;
    });
    return results;
  });
}

if (isMain(import.meta.url)) {
  const connections = Number(process.env.LOAD_CONNECTIONS ?? 2000);
  const jobs = Number(process.env.LOAD_JOBS ?? 500);
  const rate = Number(process.env.LOAD_RATE ?? 500);
  const seconds = Number(process.env.LOAD_SECONDS ?? 10);
  const seeded = await seedWorkshop(jobs, 10);
  const target = await startPitboard(seeded);
  const rssStart = rssKiB(target.pid);
  const conns = await open(target, seeded, connections);
  await sleep(1000);
  const rssLoaded = rssKiB(target.pid);
  console.log(`${conns.opened} connections on ${jobs} loaded jobs: server RSS ${rssStart} → ${rssLoaded} KiB, ≈ ${((rssLoaded - rssStart) / conns.opened).toFixed(1)} KiB per connection incl. its share of a loaded job`);
  const row = await offer(target, seeded, conns.jobs, rate, seconds, conns.dropped);
  console.log(
    `offered ${rate}/s, sent ${row.sent.toFixed(0)}/s: delivered ${(row.delivered * 100).toFixed(1)}%, edit→peer p50 ${row.p50.toFixed(2)} ms p90 ${row.p90.toFixed(2)} ms p99 ${row.p99.toFixed(2)} ms, ` +
      `server CPU ${row.cpuPerEdit.toFixed(3)} ms/edit, dropped connections ${row.dropped}`
  );
  const errors = (target.server.output().match(/"level":"error"/g) ?? []).length;
  console.log(`server errors logged: ${errors}; server RSS after load ${rssKiB(target.pid)} KiB`);
  conns.close();
  await target.stop();
  cleanUp(seeded);
  process.exit(0);
}
