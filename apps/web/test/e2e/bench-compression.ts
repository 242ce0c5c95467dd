/**
 * Compression benchmark: `npm run bench:compression` (builds the app first).
 *
 * Against the built app (`node server.js`, demo workshop plus JOBS seeded jobs), over raw HTTP on
 * 127.0.0.1: for the customer share page `/p/:token`, the manager's job list `GET /api/jobs`,
 * the sign-in page and the app's largest script, the bytes on the wire and the time to the last
 * byte (p50 / p90 of RUNS sequential requests after a warm-up), asked without Accept-Encoding,
 * with `gzip` and with `br`. Then the cost of each zlib setting on the same bodies in this
 * process, which is how the server's level was chosen. Figures only; nothing passes or fails.
 * Loopback hides the point of compression (transfer time on a phone's link): these figures
 * show its cost, the byte counts its benefit.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { DEMO, startApp } from './harness.js';
import { apiAs } from './offline-helpers.js';

const JOBS = Number(process.env.COMPRESSION_JOBS ?? 60);
const RUNS = Number(process.env.COMPRESSION_RUNS ?? 200);

interface Answer {
  status: number;
  encoding: string;
  wire: number;
  ms: number;
  body: Buffer;
}

/** One GET on the kept-alive connection: time from sending to the last byte. */
function get(url: string, headers: Record<string, string>, agent: http.Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    http
      .get(url, { headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const ms = performance.now() - start;
          const raw = Buffer.concat(chunks);
          const encoding = String(res.headers['content-encoding'] ?? 'identity');
          const body = encoding === 'gzip' ? zlib.gunzipSync(raw) : encoding === 'br' ? zlib.brotliDecompressSync(raw) : raw;
          resolve({ status: res.statusCode ?? 0, encoding, wire: raw.length, ms, body });
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

const quantile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

async function main(): Promise<void> {
  const app = await startApp();
  process.on('exit', () => app.child.kill('SIGKILL'));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const manager = await apiAs(app, DEMO.manager);
    const items = ['Replace chain', 'True rear wheel', 'Bleed front brake', 'Index gears', 'New bar tape', 'Check headset'];
    let shareUrl = '';
    for (let i = 0; i < JOBS; i++) {
      const job = await manager.post<{ id: string; shareUrl: string }>('/api/jobs', {
        bike: `Bench bike ${i}`,
        description: 'Commuter, rattles over cobbles, customer wants it before the weekend',
        customer: { name: `Customer ${i}`, email: `c${i}@bench.pitboard.dev` },
        items
      });
      if (i === 0) {
        shareUrl = job.shareUrl;
        for (const text of ['Chain was worn past 0.75, replaced', 'Rear wheel had two loose spokes, trued', 'Parts ordered, back tomorrow'])
          await manager.post(`/api/jobs/${job.id}/notes`, { text, visibility: 'customer' });
      }
    }
    const token = (await (await fetch(`${app.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO.manager, password: DEMO.password })
    })).json()) as { token: string };
    const bearer = { authorization: `Bearer ${token.token}` };
    const login = await get(`${app.url}/login`, {}, agent);
    const scripts = [...new Set(login.body.toString('utf8').match(/\/_app\/immutable\/[^"'>]+\.js/g) ?? [])];
    const dir = path.join(path.dirname(new URL(import.meta.url).pathname), '../../build/client');
    const largest = scripts.sort((a, b) => fs.statSync(path.join(dir, b)).size - fs.statSync(path.join(dir, a)).size)[0]!;

    const targets: [string, string, Record<string, string>][] = [
      ['share page /p/:token', new URL(new URL(shareUrl).pathname, app.url).toString(), {}],
      [`GET /api/jobs (${JOBS + 5} rows)`, `${app.url}/api/jobs`, bearer],
      ['sign-in page /login', `${app.url}/login`, {}],
      [`script ${path.basename(largest)}`, `${app.url}${largest}`, {}]
    ];
    console.log(`Pitboard compression — ${new Date().toISOString()} — node ${process.version} — ${RUNS} requests each, loopback`);
    const bodies: [string, Buffer][] = [];
    for (const [name, url, headers] of targets) {
      console.log(name);
      for (const ae of ['', 'gzip', 'br']) {
        const times: number[] = [];
        let last: Answer | undefined;
        for (let i = 0; i < RUNS + 20; i++) {
          last = await get(url, { ...headers, ...(ae ? { 'accept-encoding': ae } : {}) }, agent);
          if (last.status !== 200) throw new Error(`${url}: ${last.status}`);
          if (i >= 20) times.push(last.ms);
        }
        if (!ae) bodies.push([name, last!.body]);
        console.log(
          `  ${(ae || 'no Accept-Encoding').padEnd(20)} ${last!.encoding.padEnd(9)} ${String(last!.wire).padStart(7)} B on the wire (${String(last!.body.length).padStart(7)} B)  p50 ${quantile(times, 0.5).toFixed(2)} ms  p90 ${quantile(times, 0.9).toFixed(2)} ms`
        );
      }
    }

    // The same bodies through each candidate setting, in this process: the CPU a response costs.
    const settings: [string, (b: Buffer) => Buffer][] = [
      ['gzip level 1', (b) => zlib.gzipSync(b, { level: 1 })],
      ['gzip level 4', (b) => zlib.gzipSync(b, { level: 4 })],
      ['gzip level 6 (zlib default)', (b) => zlib.gzipSync(b, { level: 6 })],
      ['brotli quality 1', (b) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } })],
      ['brotli quality 4', (b) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } })],
      ['brotli quality 11 (default)', (b) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } })]
    ];
    console.log('zlib settings on the same bodies (in process, synchronous, mean of 100)');
    for (const [name, body] of bodies.slice(0, 2)) {
      console.log(`  ${name}: ${body.length} B`);
      for (const [setting, compress] of settings) {
        const size = compress(body).length;
        const start = performance.now();
        for (let i = 0; i < 100; i++) compress(body);
        console.log(`    ${setting.padEnd(28)} ${String(size).padStart(6)} B  ${((performance.now() - start) / 100).toFixed(3)} ms`);
      }
    }

    // What the build ships: every script and stylesheet as built and as precompressed.
    const sums = { raw: 0, gz: 0, br: 0, files: 0 };
    const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
    for (const f of walk(path.join(dir, '_app/immutable')).filter((f) => /\.(js|css)$/.test(f))) {
      sums.files++;
      sums.raw += fs.statSync(f).size;
      sums.gz += fs.existsSync(`${f}.gz`) ? fs.statSync(`${f}.gz`).size : fs.statSync(f).size;
      sums.br += fs.existsSync(`${f}.br`) ? fs.statSync(`${f}.br`).size : fs.statSync(f).size;
    }
    console.log(`build: ${sums.files} scripts and stylesheets, ${sums.raw} B as built, ${sums.gz} B as .gz, ${sums.br} B as .br`);
    console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    agent.destroy();
    await app.stop();
  }
}

await main();
