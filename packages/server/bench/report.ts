/**
 * `npm run bench:report [-- --quick]`: runs the benchmarks behind the performance targets, each
 * with the bare Hocuspocus server in the same run where there is one, writes
 * bench/results/latest.json and regenerates the figures of docs/performance.md (between its
 * report markers; the prose around them is kept) and its chart, docs/performance-latency.svg.
 * Ratios measured side by side lead: absolute times drift with whatever else the machine runs.
 * Bounded: --quick takes a few minutes, the full run about fifteen.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureColdStart } from './cold-start.js';
import { isMain } from './lib/common.js';
import { measureLoad } from './load.js';
import { renderReport, type Report } from './report-render.js';
import { measureThroughput } from './throughput.js';
import { measureTickCost } from './tick.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const MODES = {
  quick: {
    throughput: { jobs: 20, seconds: 3, rounds: 2 },
    load: { connections: 400, jobs: 100, rates: [50, 150, 300, 500], seconds: 3 },
    tick: { notes: [20, 20_000], ticks: 60, rounds: 2 },
    cold: { jobs: 1000, opens: 100 },
    board: { jobs: 1000, runs: 2 }
  },
  full: {
    throughput: { jobs: 50, seconds: 8, rounds: 2 },
    load: { connections: 2000, jobs: 500, rates: [100, 250, 500, 750], seconds: 8 },
    tick: { notes: [20, 20_000], ticks: 200, rounds: 2 },
    cold: { jobs: 10_000, opens: 300 },
    board: { jobs: 1000, runs: 5 }
  }
} as const;

/** bench:board in Chromium, when the app is built and Chromium is there; null otherwise. */
async function boardFigures(jobs: number, runs: number, log: (l: string) => void): Promise<Report['board']> {
  const built = fs.existsSync(path.join(repoRoot, 'apps/web/build/handler.js'));
  if (!built || !fs.existsSync('/usr/bin/chromium')) {
    log('bench:board skipped: build the app first (`npx turbo run build`) and have /usr/bin/chromium');
    return null;
  }
  const out = await new Promise<string>((resolve) => {
    let text = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/web/test/e2e/bench-board.ts'], {
      cwd: repoRoot,
      env: { ...process.env, BOARD_JOBS: String(jobs), BOARD_RUNS: String(runs) },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.once('exit', () => resolve(text));
  });
  // The table of the board with every job: its "usable" row, the "new tab, cold" column (p50 / max).
  const table = out.split(/\nboard with \d+ active jobs/)[1] ?? '';
  const m = /usable: assign answers \(ms\)\s+(\d+) \/ (\d+)/.exec(table);
  if (!m) {
    log(`bench:board gave no figure:\n${out.split('\n').slice(-15).join('\n')}`);
    return null;
  }
  return { jobs, runs, newTabColdUsableP50: Number(m[1]), newTabColdUsableMax: Number(m[2]) };
}

export async function runReport(mode: 'quick' | 'full', log: (l: string) => void = console.log): Promise<Report> {
  const p = MODES[mode];
  const startedAt = new Date().toISOString();
  const loadBefore = os.loadavg();
  log(`bench:report (${mode}) — ${startedAt} — ${os.cpus().length} CPUs, load average ${loadBefore.map((x) => x.toFixed(1)).join(' / ')}`);
  log('throughput (closed loop), bare then Pitboard, each round:');
  const throughput = await measureThroughput({ ...p.throughput, log });
  log('load (open loop), offered rates on one set of connections:');
  const load = await measureLoad({ ...p.load, rates: [...p.load.rates], servers: ['bare', 'pitboard'], log });
  log('CPU per tick, 20 vs 20,000 notes:');
  const tick = await measureTickCost({ ...p.tick, notes: [...p.tick.notes], log });
  log('cold start:');
  const cold = await measureColdStart({ ...p.cold, log });
  const board = await boardFigures(p.board.jobs, p.board.runs, log);
  return {
    mode,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, loadBefore, loadAfter: os.loadavg() },
    parameters: p,
    throughput,
    load: { bare: load.bare ?? [], pitboard: load.pitboard ?? [] },
    tick,
    cold,
    board
  };
}

if (isMain(import.meta.url)) {
  const mode = process.argv.includes('--quick') ? 'quick' : 'full';
  const report = await runReport(mode);
  const resultsDir = path.join(repoRoot, 'bench/results');
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  const { markdown, svg } = await renderReport(report);
  fs.writeFileSync(path.join(repoRoot, 'docs/performance-latency.svg'), svg);
  const docPath = path.join(repoRoot, 'docs/performance.md');
  fs.writeFileSync(docPath, spliceReport(fs.existsSync(docPath) ? fs.readFileSync(docPath, 'utf8') : '', markdown));
  console.log(`wrote bench/results/latest.json, docs/performance.md and docs/performance-latency.svg`);
  process.exit(0);
}

const START = '<!-- bench:report start: generated by `npm run bench:report`, edits here are overwritten -->';
const END = '<!-- bench:report end -->';

/** Replaces the generated part of the document, keeping what is written around it. */
function spliceReport(doc: string, generated: string): string {
  const block = `${START}\n${generated.trim()}\n${END}`;
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  if (a >= 0 && b > a) return doc.slice(0, a) + block + doc.slice(b + END.length);
  return `# Performance\n\n${block}\n`;
}
