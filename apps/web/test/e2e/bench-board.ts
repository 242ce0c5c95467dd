/**
 * Board benchmark (docs/product.md, Targets: "manager board with 1,000 active jobs: usable < 1 s after
 * navigation, without opening 1,000 documents"), in Debian's Chromium against the built app.
 *
 *   npm run bench:board       (builds the app first; BOARD_JOBS=1000 BOARD_RUNS=5 by default)
 *
 * It seeds a fresh demo workshop through the JSON API (jobs spread over every active status),
 * then opens the board as a signed-in manager, RUNS times each way: in a new tab with an empty
 * HTTP cache (a new browser context holding only the session cookie), in a new tab of that warm
 * context, in the same tab again, and from the Stats page by the header link (a client-side
 * navigation). For each way it prints p50 / max of the time from navigation start to the page
 * data's first byte, to the first card in the DOM, to the page being usable (a card's assign
 * menu answers a change by calling the API), to the assignment being confirmed and to every card
 * being in the DOM; the main thread's long tasks; bytes transferred; and the `/collab` documents
 * the page opened (the board must open none of the `job:<id>` documents). The same figures for
 * the demo workshop alone (a handful of jobs), measured first in the same run, are the baseline
 * the ratios are against. Last, edit → board: a mechanic ticks an item through the API and the
 * manager's open board moves the card.
 *
 * Figures only: nothing here passes or fails on time (absolute times drift between runs, and
 * with whatever else the machine is doing: the load average is printed at the end).
 */
import fs from 'node:fs';
import os from 'node:os';
import * as decoding from 'lib0/decoding';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO, launchBrowser, signIn, startApp, type App } from './harness.js';
import { apiAs, type Api, type JobView } from './offline-helpers.js';

const JOBS = Number(process.env.BOARD_JOBS ?? 1000);
const RUNS = Number(process.env.BOARD_RUNS ?? 5);
const LIVE_EDITS = 20;
/** After the page is usable, how long to keep listening for documents it opens lazily. */
const SETTLE_MS = 1500;
/** Everything (seeding, browser, runs) must end within this; then the app is killed. */
const WATCHDOG_MS = 10 * 60_000;
const VIEWPORT = { width: 1280, height: 800 };

/** What the in-page probe records, in ms from the navigation's start (`t0`, page clock). */
interface Probe {
  t0: number;
  firstCard: number;
  /** A card's assign menu answers: its change handler calls the API. */
  interactive: number;
  /** The assignment's confirmation is on the page (the API round trip included). */
  assigned: number;
  /** Every active job has its card in the DOM. */
  cards: number;
  /** Time in long tasks (> 50 ms) before the page was usable. */
  longTaskMs: number;
  /** The longest task after the page became usable (how long an input may wait meanwhile). */
  maxTaskAfter: number;
}

/** One measured navigation: the probe's timings plus what went over the network. */
interface Navigation extends Omit<Probe, 't0'> {
  /** First byte of the page data: the HTML, or `__data.json` for a client-side navigation. */
  ttfb: number;
  /** Scripts and the rest (not the page data) over the network: headers included, 0 for cache hits. */
  transfer: { script: number; other: number };
  /** The page data (markup plus serialized load data, or the JSON): as sent, and uncompressed. */
  pageSent: number;
  pageBytes: number;
  requests: number;
  /** Distinct `/collab` document names the page sent frames for. */
  documents: string[];
  wsBytesIn: number;
}

/*
 * The in-page probe, as plain JavaScript text: tsx compiles this file with esbuild's keepNames,
 * whose `__name` helper would not exist inside the page. It runs before the page's own scripts.
 *
 * "Usable" is asked of the page the way a manager would: from the moment a card is in the DOM
 * it keeps changing the first card's assign menu. Before hydration nothing listens, so the
 * change is undone; the first change whose handler calls `fetch(…/assign)` marks the page
 * usable, and the flash message confirming the assignment marks the round trip. A document
 * load of /board starts watching at navigation start; a client-side navigation calls
 * __boardWatch itself just before the click.
 */
const PROBE = `(() => {
  let fired = false;
  const realFetch = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.includes('/assign')) fired = true;
    return realFetch.call(this, input, init);
  };
  const poke = () => {
    const select = document.querySelector('li.card[data-job] select');
    if (!select) return false;
    const before = select.value;
    const target = [...select.options].map((o) => o.value).find((v) => v && v !== before);
    if (!target) return false;
    select.value = target;
    select.dispatchEvent(new Event('change', { bubbles: true }));
    if (!fired) select.value = before;
    return fired;
  };
  // A live collection: reading its length every few milliseconds costs next to nothing.
  const cards = document.getElementsByClassName('card');
  window.__boardWatch = (expected, t0) => {
    fired = false;
    const probe = { t0, firstCard: -1, interactive: -1, assigned: -1, cards: -1, longTaskMs: 0, maxTaskAfter: 0 };
    window.__boardProbe = probe;
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.startTime < t0) continue;
          if (probe.interactive < 0 || e.startTime - t0 < probe.interactive) probe.longTaskMs += e.duration;
          else probe.maxTaskAfter = Math.max(probe.maxTaskAfter, e.duration);
        }
      }).observe({ type: 'longtask' });
    } catch {}
    const step = () => {
      const now = performance.now() - t0;
      if (probe.firstCard < 0 && cards.length > 0) probe.firstCard = now;
      if (probe.cards < 0 && cards.length >= expected) probe.cards = now;
      if (probe.firstCard >= 0 && probe.interactive < 0 && poke()) probe.interactive = performance.now() - t0;
      if (probe.interactive >= 0 && probe.assigned < 0 && /assigned to/.test(document.querySelector('p.flash')?.textContent || '')) probe.assigned = now;
      if (probe.assigned < 0 || probe.cards < 0) setTimeout(step, 0);
    };
    step();
  };
  if (location.pathname === '/board') window.__boardWatch(Number(sessionStorage.getItem('bench:expected') || '1'), 0);
  // Edit → board: arm(id, cls) starts watching before the edit is made, armed resolves with the
  // wall-clock time the card first has that class.
  window.__boardArm = (id, cls) => {
    window.__boardArmed = new Promise((resolve) => {
      const check = () => {
        const el = document.querySelector('li.card[data-job="' + id + '"]');
        if (!el || !el.classList.contains(cls)) return false;
        resolve(performance.timeOrigin + performance.now());
        return true;
      };
      if (check()) return;
      const mo = new MutationObserver(() => { if (check()) mo.disconnect(); });
      mo.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
    });
  };
})();`;

// ---------------------------------------------------------------------------------------------
// Seeding

const ITEMS = ['Check brakes', 'True both wheels', 'Replace chain', 'Index gears'];

/** Which state job `i` is driven into; the mix roughly of a busy workshop, every column used. */
type Plan = 'intake' | 'assigned' | 'in_progress' | 'stuck' | 'quality_check' | 'ready_for_pickup';
const MIX: Plan[] = [
  'intake', 'intake', 'intake',
  'assigned', 'assigned', 'assigned', 'assigned', 'assigned', 'assigned',
  'in_progress', 'in_progress', 'in_progress', 'in_progress', 'in_progress', 'in_progress',
  'stuck',
  'quality_check', 'quality_check',
  'ready_for_pickup', 'ready_for_pickup'
];

/** Runs `fn` over 0..n-1 with `width` calls in flight (the server sees a steady, parallel load). */
async function pool(n: number, width: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await fn(next++);
    })
  );
}

interface Seeded {
  /** Jobs assigned to the first demo mechanic with no item done: edit → board targets. */
  untouched: { id: string; itemId: string }[];
}

async function seed(manager: Api, mechanics: Api[]): Promise<Seeded> {
  const untouched: Seeded['untouched'] = [];
  await pool(JOBS, 8, async (i) => {
    const plan = MIX[i % MIX.length]!;
    // Most jobs go to the first mechanic (the mechanic whose edits are timed later), some to the second.
    const mech = i % 5 === 4 ? mechanics[1]! : mechanics[0]!;
    const items = ITEMS.slice(0, 2 + (i % 3));
    const { id } = await manager.post<{ id: string }>('/api/jobs', {
      bike: `Bench bike ${i + 1}`,
      description: 'Seeded by bench:board',
      items,
      customer: { name: `Customer ${i + 1}` },
      ...(plan === 'intake' ? {} : { mechanicId: mech.user.id })
    });
    if (plan === 'intake') return;
    const view = await manager.get<JobView>(`/api/jobs/${id}`);
    if (plan === 'assigned') {
      if (mech === mechanics[0]) untouched.push({ id, itemId: view.items[0]!.id });
      return;
    }
    const ticks = plan === 'in_progress' || plan === 'stuck' ? 1 : view.items.length;
    for (const item of view.items.slice(0, ticks)) await mech.post(`/api/jobs/${id}/items/${item.id}`, { done: true });
    if (plan === 'stuck') await mech.post(`/api/mechanic/repair/${id}/stuck`, { reason: 'Waiting for a part' });
    if (plan === 'ready_for_pickup') await manager.post(`/api/jobs/${id}/qc`, { pass: true });
  });
  return { untouched };
}

interface Row {
  id: string;
  status: string;
}

/** Waits until the read model (projected on the next tick after each edit) has every seeded job. */
async function activeJobs(manager: Api, atLeast: number): Promise<Row[]> {
  const end = Date.now() + 30_000;
  for (;;) {
    const rows = await manager.get<Row[]>('/api/jobs?active=1');
    if (rows.length >= atLeast || Date.now() > end) return rows;
    await new Promise((r) => setTimeout(r, 200));
  }
}

// ---------------------------------------------------------------------------------------------
// Opening the board

/** A Hocuspocus frame starts with its document name as a lib0 varString (varUint length, UTF-8). */
function documentName(payload: string | Buffer): string | null {
  if (typeof payload === 'string') return null;
  try {
    return decoding.readVarString(decoding.createDecoder(payload));
  } catch {
    return null;
  }
}

/** The ways a manager arrives at the board, in the order each run takes them. */
const WAYS = ['new tab, cold', 'new tab, warm', 'same tab again', 'from Stats'] as const;
type Way = (typeof WAYS)[number];

/**
 * Opens the board in `page` and reads the probe. A document load goes through a small page of
 * the same origin first (not /login: it sends a signed-in manager on to the board), where the
 * number of cards to wait for is left in the tab's sessionStorage for the probe.
 */
async function openBoard(page: Page, expected: number, clientSide: boolean): Promise<Navigation> {
  const documents = new Set<string>();
  let wsBytesIn = 0;
  let requests = 0;
  let counting = false;
  page.on('request', () => {
    if (counting) requests++;
  });
  page.on('websocket', (ws) => {
    ws.on('framesent', ({ payload }) => {
      const name = documentName(payload);
      if (counting && name !== null) documents.add(name);
    });
    ws.on('framereceived', ({ payload }) => {
      if (counting) wsBytesIn += typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    });
  });
  if (clientSide) {
    // The Stats page is hydrated once its layout has opened the inbox socket; then the header
    // link is a client-side navigation (SvelteKit fetches the board's data, no HTML).
    const socket = page.waitForEvent('websocket');
    await page.goto('/board/stats');
    await socket;
    counting = true;
    await page.evaluate(`window.__boardWatch(${expected}, performance.now()); document.querySelector('header nav a[href="/board"]').click()`);
  } else {
    await page.goto('/healthz');
    await page.evaluate(`sessionStorage.setItem('bench:expected', '${expected}')`);
    counting = true;
    await page.goto('/board', { waitUntil: 'commit', timeout: 60_000 });
  }
  await page.waitForFunction('window.__boardProbe && window.__boardProbe.assigned >= 0 && window.__boardProbe.cards >= 0', null, { timeout: 60_000, polling: 50 });
  await page.waitForTimeout(SETTLE_MS);
  counting = false;
  const result = (await page.evaluate(`(() => {
    const probe = window.__boardProbe;
    const data = probe.t0 === 0
      ? performance.getEntriesByType('navigation')[0]
      : performance.getEntriesByType('resource').find((r) => r.startTime >= probe.t0 && r.name.includes('/board/__data.json'));
    const transfer = { script: 0, other: 0 };
    for (const r of performance.getEntriesByType('resource')) {
      if (r === data || r.startTime < probe.t0) continue;
      if (r.initiatorType === 'script' || r.name.endsWith('.js')) transfer.script += r.transferSize;
      else transfer.other += r.transferSize;
    }
    return { probe, ttfb: data ? data.responseStart - probe.t0 : NaN, transfer, pageSent: data ? data.encodedBodySize : NaN, pageBytes: data ? data.decodedBodySize : NaN };
  })()`)) as { probe: Probe; ttfb: number; transfer: Navigation['transfer']; pageSent: number; pageBytes: number };
  const { probe } = result;
  return {
    ttfb: result.ttfb,
    firstCard: probe.firstCard,
    interactive: probe.interactive,
    assigned: probe.assigned,
    cards: probe.cards,
    longTaskMs: probe.longTaskMs,
    maxTaskAfter: probe.maxTaskAfter,
    transfer: result.transfer,
    pageSent: result.pageSent,
    pageBytes: result.pageBytes,
    requests,
    documents: [...documents].sort(),
    wsBytesIn
  };
}

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;
type Series = Record<Way, Navigation[]>;

/** RUNS times every way, each run in a fresh browser context (empty cache, the session cookie). */
async function measure(browser: Browser, app: App, storageState: StorageState, expected: number): Promise<Series> {
  const series = Object.fromEntries(WAYS.map((w) => [w, []])) as unknown as Series;
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ baseURL: app.url, viewport: VIEWPORT, storageState });
    await context.addInitScript({ content: PROBE });
    try {
      // One tab at a time: a board left open would keep its socket and timers busy.
      const first = await context.newPage();
      series['new tab, cold'].push(await openBoard(first, expected, false));
      await first.close();
      const page = await context.newPage();
      series['new tab, warm'].push(await openBoard(page, expected, false));
      series['same tab again'].push(await openBoard(page, expected, false));
      series['from Stats'].push(await openBoard(page, expected, true));
    } finally {
      await context.close();
    }
  }
  return series;
}

// ---------------------------------------------------------------------------------------------
// Report

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};

/** One table: a row per figure, a column per way (p50 / max, and × the baseline's p50). */
function report(title: string, s: Series, base?: Series): void {
  console.log(title);
  console.log(`  ${''.padEnd(28)}${WAYS.map((w) => w.padStart(22)).join('')}`);
  const row = (name: string, unit: string, pick: (n: Navigation) => number, scale = 1, compare = true) => {
    const cells = WAYS.map((w) => {
      const xs = s[w].map(pick).map((x) => x / scale);
      const p50 = pct(xs, 50);
      const b = base ? pct(base[w].map(pick), 50) / scale : 0;
      const ratio = compare && b > 0 ? ` ×${(p50 / b).toFixed(1)}` : '';
      return `${p50.toFixed(0)} / ${Math.max(...xs).toFixed(0)}${ratio}`.padStart(22);
    });
    console.log(`  ${`${name} (${unit})`.padEnd(28)}${cells.join('')}`);
  };
  row('page data first byte', 'ms', (n) => n.ttfb);
  row('first card in the DOM', 'ms', (n) => n.firstCard);
  row('usable: assign answers', 'ms', (n) => n.interactive);
  row('assignment confirmed', 'ms', (n) => n.assigned);
  row('every card in the DOM', 'ms', (n) => n.cards);
  row('long tasks before usable', 'ms', (n) => n.longTaskMs);
  row('longest task after', 'ms', (n) => n.maxTaskAfter, 1, false);
  row('page data, as sent', 'KiB', (n) => n.pageSent, 1024);
  row('page data, uncompressed', 'KiB', (n) => n.pageBytes, 1024);
  row('transferred, scripts', 'KiB', (n) => n.transfer.script, 1024, false);
  row('transferred, other', 'KiB', (n) => n.transfer.other, 1024, false);
  row('HTTP requests', 'n', (n) => n.requests, 1, false);
  row('WebSocket received', 'KiB', (n) => n.wsBytesIn, 1024, false);
  row('job documents opened', 'n', (n) => n.documents.filter((d) => d.startsWith('job:')).length, 1, false);
  const names = [...new Set(WAYS.flatMap((w) => s[w].flatMap((n) => n.documents.map((d) => d.replace(/:.*/, ':…')))))];
  console.log(`  documents opened, by kind: ${names.join(', ') || 'none'}`);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  const app = await startApp();
  let browser: Browser | undefined;
  // Bounded: whatever hangs, the app process and the browser do not outlive the watchdog.
  const watchdog = setTimeout(() => {
    console.error(`bench:board: still running after ${WATCHDOG_MS / 1000} s, stopping`);
    process.exit(2);
  }, WATCHDOG_MS);
  watchdog.unref();
  // Interrupted (Ctrl-C, a closed pipe, the watchdog), the app must not outlive the script: the
  // harness does not detach it, but nor does it die with us. (Playwright closes its browser.)
  process.on('exit', () => app.child.kill('SIGKILL'));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  try {
    const manager = await apiAs(app, DEMO.manager);
    const mechanics = [await apiAs(app, DEMO.mechanic), await apiAs(app, DEMO.mechanic2)];
    browser = await launchBrowser();
    const { context } = await signIn(browser, app, DEMO.manager);
    const storageState = await context.storageState();
    await context.close();

    const demoActive = (await activeJobs(manager, 0)).length;
    const baseline = await measure(browser, app, storageState, demoActive);

    const t0 = Date.now();
    const { untouched } = await seed(manager, mechanics);
    const rows = await activeJobs(manager, demoActive + JOBS);
    const seedSeconds = (Date.now() - t0) / 1000;
    const byStatus = new Map<string, number>();
    for (const r of rows) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);

    const full = await measure(browser, app, storageState, rows.length);

    // Edit → board: the manager's board stays open; the mechanic ticks the first item of jobs
    // still in "assigned", which moves each card to "in progress" on the board. Both sides read
    // wall-clock time (timeOrigin + now) on the same machine.
    const live: { api: number; board: number }[] = [];
    const ctx = await browser.newContext({ baseURL: app.url, viewport: VIEWPORT, storageState });
    await ctx.addInitScript({ content: PROBE });
    try {
      const page = await ctx.newPage();
      await openBoard(page, rows.length, false);
      for (const job of untouched.slice(0, LIVE_EDITS)) {
        await page.evaluate(`window.__boardArm(${JSON.stringify(job.id)}, 'in_progress')`);
        const sent = performance.timeOrigin + performance.now();
        await mechanics[0]!.post(`/api/jobs/${job.id}/items/${job.itemId}`, { done: true });
        const answered = performance.timeOrigin + performance.now();
        const shown = (await page.evaluate('window.__boardArmed')) as number;
        live.push({ api: answered - sent, board: shown - sent });
      }
    } finally {
      await ctx.close();
    }

    const mix = [...byStatus].map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`\nbench:board: ${JOBS} jobs seeded through the API in ${seedSeconds.toFixed(1)} s; active by status: ${mix}`);
    console.log(`p50 / max of ${RUNS} navigations each way; times in ms from navigation start (the page's clock).\n`);
    report(`baseline: the demo workshop, ${demoActive} active jobs`, baseline);
    console.log();
    report(`board with ${rows.length} active jobs (× = p50 against the baseline's)`, full, baseline);
    console.log();
    const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;
    console.log(`edit → board: ${live.length} item ticks by the mechanic through the API, the board of ${rows.length} open`);
    console.log(`  API answered              ${fmt(live.map((l) => l.api))}`);
    console.log(`  card moved on the board   ${fmt(live.map((l) => l.board))}`);
    // Other processes on the machine move every figure above: say how busy it was.
    const load = os.loadavg().map((x) => x.toFixed(1)).join(' / ');
    console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s; ${os.cpus().length} CPUs, load average (1 / 5 / 15 min) ${load}`);
  } catch (e) {
    // The server's own account is often the only clue (it logs warnings and errors only).
    console.error(`[server log, last lines]\n${app.output().split('\n').slice(-30).join('\n')}`);
    throw e;
  } finally {
    // Bounded shutdown: a browser that does not close in time is left to the exit handler.
    await Promise.race([browser?.close(), new Promise((r) => setTimeout(r, 10_000))]);
    await Promise.race([app.stop(), new Promise((r) => setTimeout(r, 10_000))]);
    if (app.child.exitCode === null) app.child.kill('SIGKILL');
    fs.rmSync(app.dataDir, { recursive: true, force: true });
    clearTimeout(watchdog);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
