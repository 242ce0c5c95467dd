/**
 * Search as a manager types it, on 10,000 stored jobs (target: p99 < 50 ms per answer). Stores
 * the jobs (read-model rows with serials and phones) directly, starts the real server as a
 * child process, signs in and times `GET /api/jobs?q=…` over HTTP for every keystroke of
 * names, bikes, serials, phones (with and without spaces) and numbers, plus filtered and
 * mechanic-scoped searches. Prints p50/p99 and writes bench/results/search.json. Bounded.
 *   npm run bench:search     (SEARCH_JOBS, default 10000; TEST_DATABASE_URL for PostgreSQL)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJob, readJob } from '@pitboard/job-model';
import * as Y from 'yjs';
import { addUser } from '../src/auth/users.js';
import { searchJobs } from '../src/jobs/job-search.js';
import { projectJob } from '../src/jobs/projection.js';
import { api, openTestStorage, spawnServer, testDatabase } from '../test/helpers/server.js';
import { cpuMs, isMain, quantile } from './lib/common.js';

export interface SearchFigures {
  jobs: number;
  database: 'sqlite' | 'postgres';
  searches: number;
  p50: number;
  p99: number;
  max: number;
  /** Matches per answer, median (answers are capped at 50 rows). */
  rowsP50: number;
  /** The server's CPU time per search (less swayed by a busy machine than wall time). */
  serverCpuMsPerSearch: number;
  /** Load average of the machine while measuring: wall times above are only as good as this is low. */
  loadAverage: number;
  /** The same searches straight on storage, in this process (no HTTP, no sign-in, no JSON): the query alone. */
  queryOnly: { p50: number; p99: number; cpuMsPerSearch: number };
  /** p50/p99 per kind of search (what was typed), to see which kind costs. */
  byKind: Record<string, { n: number; p50: number; p99: number }>;
}

const BIKES = ['Kona Sutra', 'Trek Domane', 'Brompton M6L', 'Gazelle Orange', 'Cube Nuroad', 'Specialized Sirrus', 'Giant Escape', 'Batavus Finez', 'Riese & Müller Load', 'Surly Long Haul'];
const FIRST = ['Lee', 'Maria', 'Sam', 'Ana', 'Theo', 'Noor', 'Jan', 'Eva', 'Pieter', 'Fatima', 'Oskar', 'Ingrid'];
const LAST = ['Okafor', 'Quist', 'Berg', 'de Vries', 'Jansen', 'Bakker', 'Visser', 'Smit', 'Meijer', 'Mulder', 'El Amrani', 'Kowalski'];

/** Every prefix of `text`, as typed one key at a time (from the second key). */
const keystrokes = (text: string) => Array.from({ length: text.length - 1 }, (_, i) => text.slice(0, i + 2));

export async function measureSearch(options: { jobs: number; log?: (line: string) => void }): Promise<SearchFigures> {
  const log = options.log ?? (() => {});
  const db = await testDatabase();
  const storage = await openTestStorage(db);
  await addUser(storage, { role: 'manager', email: 'boss@b.dev', name: 'Boss', password: 'correct horse' });
  const mechanics = await Promise.all([1, 2, 3, 4].map((i) => addUser(storage, { role: 'mechanic', email: `m${i}@b.dev`, name: `Mechanic ${i}`, password: 'correct horse' })));
  const customer = await addUser(storage, { role: 'customer', email: 'c@b.dev', name: 'C' });
  const t0 = performance.now();
  const samples: { name: string; phone: string; serial: string; bike: string; number: number }[] = [];
  for (let i = 0; i < options.jobs; i++) {
    const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;
    const bike = BIKES[i % BIKES.length]!;
    const phone = `06 ${String(10_000_000 + i * 7919).slice(0, 4)} ${String(i).padStart(4, '0')}`;
    const serial = `WTU${(100000 + i * 37).toString(36).toUpperCase()}-${i % 97}`;
    const row = await storage.createJob((number) => {
      const doc = new Y.Doc();
      const id = `job${i}`;
      // Spread over the last year, a fifth collected, so the collected filter has work to skip.
      const createdAt = new Date(Date.now() - (options.jobs - i) * 3_600_000).toISOString();
      createJob(doc, { id, number, bike, customerId: customer.id, customerName: name, items: ['Brakes', 'Gears'], createdAt, serial, customerPhone: phone, assigneeId: mechanics[i % 4]!.id });
      if (i % 5 === 0) doc.getMap('job').set('collectedAt', createdAt);
      return { row: projectJob(readJob(doc), null, createdAt), documentName: `job:${id}`, update: Y.encodeStateAsUpdate(doc) };
    });
    if (i % Math.floor(options.jobs / 12) === 0) samples.push({ name, phone, serial, bike, number: row.number });
  }
  await storage.close();
  log(`stored ${options.jobs} jobs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const server = await spawnServer(db, { MESSAGE_RATE_PER_SECOND: '1000000', LOGIN_LIMIT_PER_ADDRESS: '100000' });
  try {
    const { token } = (await api(server.url).post('/api/auth/login', { email: 'boss@b.dev', password: 'correct horse' })).body;
    const mechanicToken = (await api(server.url).post('/api/auth/login', { email: 'm1@b.dev', password: 'correct horse' })).body.token;
    const queries: { kind: string; query: string; token: string }[] = [];
    const typing = (kind: string, text: string, t = token) => {
      for (const typed of keystrokes(text)) queries.push({ kind, query: `q=${encodeURIComponent(typed)}`, token: t });
    };
    for (const s of samples) {
      typing('name', s.name);
      typing('phone', s.phone);
      typing('phone without spaces', s.phone.replace(/\s/g, ''));
      typing('serial', s.serial.toLowerCase());
      typing('number', String(s.number));
      typing('name, as a mechanic', s.name, mechanicToken);
      queries.push({ kind: 'filters', query: `q=${encodeURIComponent(s.bike.split(' ')[0]!)}&collected=1`, token });
      queries.push({ kind: 'filters', query: `q=${encodeURIComponent(s.name.split(' ')[1]!)}&status=assigned&mechanicId=${mechanics[1]!.id}`, token });
      queries.push({ kind: 'bike page (exact serial)', query: `serial=${encodeURIComponent(s.serial)}&collected=1`, token });
    }
    // Warm-up: the first answers pay for loading code and filling caches.
    for (const { query, token: t } of queries.slice(0, 20)) await api(server.url, t).get(`/api/jobs?${query}`);
    const times: number[] = [];
    const rows: number[] = [];
    const cpuBefore = cpuMs(server.child.pid!);
    const kinds = new Map<string, number[]>();
    for (const { kind, query, token: t } of queries) {
      const start = performance.now();
      const r = await api(server.url, t).get(`/api/jobs?${query}`);
      const ms = performance.now() - start;
      times.push(ms);
      kinds.set(kind, [...(kinds.get(kind) ?? []), ms]);
      if (r.status !== 200) throw new Error(`search ${query} answered ${r.status}: ${JSON.stringify(r.body)}`);
      rows.push(r.body.length);
    }
    const cpu = cpuMs(server.child.pid!) - cpuBefore;
    // The query alone: the same searches on the same database through the storage layer.
    const direct = await openTestStorage(db);
    const queryTimes: number[] = [];
    const cpuStart = process.cpuUsage();
    try {
      const manager = { id: 'bench', role: 'manager' as const };
      const mechanic = { id: mechanics[0]!.id, role: 'mechanic' as const };
      for (const { query, token: t } of queries) {
        const p = new URLSearchParams(query);
        const actor = t === token ? manager : mechanic;
        const start = performance.now();
        await searchJobs(direct, actor, {
          ...(p.get('q') ? { q: p.get('q')! } : {}),
          ...(p.get('status') ? { status: p.get('status')! } : {}),
          ...(p.get('mechanicId') ? { mechanicId: p.get('mechanicId')! } : {}),
          ...(p.get('serial') ? { serial: p.get('serial')! } : {}),
          includeCollected: p.get('collected') === '1'
        });
        queryTimes.push(performance.now() - start);
      }
    } finally {
      await direct.close();
    }
    const queryCpu = process.cpuUsage(cpuStart);
    const figures: SearchFigures = {
      jobs: options.jobs,
      database: db.databaseUrl ? 'postgres' : 'sqlite',
      searches: times.length,
      p50: round(quantile(times, 0.5)),
      p99: round(quantile(times, 0.99)),
      max: round(Math.max(...times)),
      rowsP50: quantile(rows, 0.5),
      serverCpuMsPerSearch: round(cpu / times.length),
      queryOnly: { p50: round(quantile(queryTimes, 0.5)), p99: round(quantile(queryTimes, 0.99)), cpuMsPerSearch: round((queryCpu.user + queryCpu.system) / 1000 / queryTimes.length) },
      loadAverage: round(os.loadavg()[0]!),
      byKind: Object.fromEntries([...kinds].map(([kind, xs]) => [kind, { n: xs.length, p50: round(quantile(xs, 0.5)), p99: round(quantile(xs, 0.99)) }]))
    };
    log(`search on ${figures.jobs} jobs (${figures.database}), ${figures.searches} searches as typed: p50 ${figures.p50} ms, p99 ${figures.p99} ms, max ${figures.max} ms (target p99 < 50 ms); median ${figures.rowsP50} rows per answer`);
    for (const [kind, k] of Object.entries(figures.byKind)) log(`  ${kind.padEnd(26)} n ${String(k.n).padStart(4)}  p50 ${k.p50} ms  p99 ${k.p99} ms`);
    log(`the query alone (storage, in process): p50 ${figures.queryOnly.p50} ms, p99 ${figures.queryOnly.p99} ms, CPU ${figures.queryOnly.cpuMsPerSearch} ms per search`);
    log(`server CPU per search ${figures.serverCpuMsPerSearch} ms; machine load average ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} (${os.cpus().length} CPUs)`);
    return figures;
  } finally {
    await server.kill('SIGTERM');
  }
}

const round = (x: number) => Math.round(x * 100) / 100;

if (isMain(import.meta.url)) {
  const figures = await measureSearch({ jobs: Number(process.env.SEARCH_JOBS ?? 10_000), log: console.log });
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  const file = path.join(repoRoot, 'bench/results/search.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ measuredAt: new Date().toISOString(), machine: { cpus: os.cpus().length, node: process.version, load: os.loadavg() }, search: figures }, null, 2)}\n`);
  console.log(`wrote ${path.relative(repoRoot, file)}`);
  process.exit(0);
}
