/**
 * "No spinners", measured (docs/product.md, Targets: a job already on the device opens usable
 * < 50 ms after the app shell is loaded), in Debian's Chromium against the built app.
 *
 *   npm run bench:replica       (builds the app first; REPLICA_RUNS=20 by default)
 *
 * A mechanic opens a job once (its replica is then in IndexedDB), goes back to "My jobs", and
 * then RUNS times: taps the job in the list — the app shell is loaded, so this is the time from
 * navigation to a usable job screen (its heading and every item's checkbox in the DOM and
 * enabled), taken in the page by a MutationObserver from the tap. Online, and with the network
 * cut (everything from the service worker and IndexedDB). For context, a full page load offline
 * (navigation start → usable), which includes loading the shell itself.
 *
 * Figures only: nothing passes or fails on time. Writes bench/results/replica-open.json (the
 * shape of the other results files: mode, times, machine, parameters, figures).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { DEMO, launchBrowser, phone, signIn, startApp } from './harness.js';
import { apiAs, setOffline, waitForServiceWorker } from './offline-helpers.js';

const RUNS = Number(process.env.REPLICA_RUNS ?? 20);
const ITEMS = ['Chain', 'Cassette', 'Brake pads front', 'Brake pads rear', 'Bleed brakes', 'True wheels', 'Bar tape', 'Test ride'];
const NOTES = 10;
const TARGET_MS = 50;
const WATCHDOG_MS = 5 * 60_000;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

interface Spread {
  p50: number;
  p95: number;
  max: number;
}

function spread(values: number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { p50: round(at(0.5)), p95: round(at(0.95)), max: round(s.at(-1)!) };
}
const round = (n: number) => Math.round(n * 10) / 10;

/** Taps the job's link in the list; resolves with ms from the tap to a usable job screen. */
function tapAndMeasure(page: Page, jobId: string, bike: string): Promise<number> {
  return page.evaluate(
    ({ jobId, bike, items }) =>
      new Promise<number>((resolve, reject) => {
        // No named inner functions: tsx would wrap them in a helper the page does not have.
        const link = document.querySelector<HTMLAnchorElement>(`a[href="/m/jobs/${jobId}"]`);
        if (!link) return reject(new Error('no link to the job in the list'));
        const observer = new MutationObserver(() => {
          const boxes = [...document.querySelectorAll<HTMLInputElement>('ul.items input[type=checkbox]')];
          const usable = !!document.querySelector('h1')?.textContent?.includes(bike) && boxes.length === items && boxes.every((b) => !b.disabled);
          if (!usable) return;
          observer.disconnect();
          resolve(performance.now() - t0);
        });
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
        const t0 = performance.now();
        link.click();
        setTimeout(() => reject(new Error('job screen not usable within 10 s')), 10_000);
      }),
    { jobId, bike, items: ITEMS.length }
  );
}

async function backToList(page: Page): Promise<void> {
  await page.getByRole('main').getByRole('link', { name: 'My jobs' }).click();
  await page.getByRole('heading', { name: 'My jobs' }).waitFor();
}

async function main() {
  const startedAt = new Date().toISOString();
  const loadBefore = os.loadavg().map((l) => round(l * 100) / 100);
  const app = await startApp();
  const watchdog = setTimeout(() => {
    console.error('bench:replica watchdog: giving up');
    void app.stop().then(() => process.exit(1));
  }, WATCHDOG_MS);
  const browser = await launchBrowser();
  try {
    const manager = await apiAs(app, DEMO.manager);
    const mechanic = await apiAs(app, DEMO.mechanic);
    const bike = 'Ridley Fenix bench';
    const { id } = await manager.post<{ id: string }>('/api/jobs', { bike, customer: { name: 'Bench Rider' }, items: ITEMS, mechanicId: mechanic.user.id });
    for (let i = 0; i < NOTES; i++) await mechanic.post(`/api/jobs/${id}/notes`, { text: `Note ${i + 1}: checked and adjusted` });

    const { context, page } = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    await waitForServiceWorker(page);
    await page.goto(`/m/jobs/${id}`);
    await page.getByText('Saved on this device').waitFor({ timeout: 15_000 });
    await page.goto('/m');
    await page.getByRole('heading', { name: 'My jobs' }).waitFor();

    const figures: Record<'inAppOnline' | 'inAppOffline' | 'reloadOffline', number[]> = { inAppOnline: [], inAppOffline: [], reloadOffline: [] };
    for (const [way, offline] of [['inAppOnline', false], ['inAppOffline', true]] as const) {
      await setOffline(context, offline);
      for (let i = 0; i < RUNS; i++) {
        figures[way].push(await tapAndMeasure(page, id, bike));
        await backToList(page);
      }
    }
    // Context: a full load offline, the shell included (navigation start → usable).
    // An observer from the document's start notes when the screen became usable (page clock:
    // 0 is the navigation's start). A string, so tsx adds nothing the page lacks.
    await context.addInitScript(`(() => {
      const check = () => {
        const boxes = [...document.querySelectorAll('ul.items input[type=checkbox]')];
        if (window.__usableAt === undefined && (document.querySelector('h1')?.textContent ?? '').includes(${JSON.stringify(bike)}) && boxes.length === ${ITEMS.length} && boxes.every((b) => !b.disabled)) window.__usableAt = performance.now();
      };
      new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
    })()`);
    for (let i = 0; i < Math.min(RUNS, 10); i++) {
      await page.goto(`/m/jobs/${id}`);
      const at = await page.waitForFunction(() => (window as unknown as { __usableAt?: number }).__usableAt, undefined, { timeout: 10_000 });
      figures.reloadOffline.push(Number(await at.jsonValue()));
    }
    await context.close();

    const result = {
      inAppOnline: spread(figures.inAppOnline),
      inAppOffline: spread(figures.inAppOffline),
      reloadOffline: spread(figures.reloadOffline),
      targetMs: TARGET_MS,
      met: spread(figures.inAppOffline).p50 < TARGET_MS && spread(figures.inAppOnline).p50 < TARGET_MS
    };
    const line = (name: string, s: Spread) => console.log(`  ${name.padEnd(46)} p50 ${String(s.p50).padStart(6)} ms   p95 ${String(s.p95).padStart(6)} ms   max ${String(s.max).padStart(6)} ms`);
    console.log(`\nbench:replica: a job with ${ITEMS.length} items and ${NOTES} notes on the device; ${RUNS} taps each way`);
    line('tap in My jobs → usable job screen, online', result.inAppOnline);
    line('tap in My jobs → usable job screen, offline', result.inAppOffline);
    line('full page load offline (shell included)', result.reloadOffline);
    console.log(`  target: usable < ${TARGET_MS} ms after the app shell is loaded → ${result.met ? 'met' : 'NOT met'} (p50)`);

    const out = {
      mode: RUNS >= 20 ? 'full' : 'quick',
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, loadBefore, loadAfter: os.loadavg().map((l) => round(l * 100) / 100) },
      parameters: { replica: { runs: RUNS, items: ITEMS.length, notes: NOTES } },
      replicaOpen: result
    };
    const file = path.join(repoRoot, 'bench/results/replica-open.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    console.log(`  written to ${path.relative(repoRoot, file)}`);
  } finally {
    clearTimeout(watchdog);
    await browser.close();
    await app.stop();
  }
}

await main();
