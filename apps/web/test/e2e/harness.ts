/**
 * Browser-journey harness: the production build (`node server.js`) on a free 127.0.0.1 port
 * with a fresh SQLite folder and the demo workshop, and Debian's Chromium via playwright-core.
 * Screenshots go to test-results/ (kept as CI artifacts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const artifacts = path.join(appDir, 'test-results');

export const DEMO = {
  manager: 'manager@demo.pitboard.dev',
  mechanic: 'mechanic@demo.pitboard.dev',
  mechanic2: 'mechanic2@demo.pitboard.dev',
  customer: 'customer@demo.pitboard.dev',
  password: 'pitboard-demo'
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface App {
  url: string;
  dataDir: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export async function startApp(env: Record<string, string> = {}): Promise<App> {
  if (!fs.existsSync(path.join(appDir, 'build/handler.js'))) throw new Error('build the app first: npm run build');
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitboard-e2e-'));
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['server.js'], {
    cwd: appDir,
    // Always the embedded default with a fresh SQLite folder: a DATABASE_URL or REDIS_URL left in
    // the environment (as .ci/run sets for the services suites) must not make runs share data.
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, PUBLIC_URL: url, PITBOARD_DEMO: '1', LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited:\n${out}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`app did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    dataDir,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  });
}

/** A person: their own browser context (cookies, storage), signed in through the login page. */
export async function signIn(browser: Browser, app: App, email: string, options: { viewport?: { width: number; height: number } } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: app.url, viewport: options.viewport ?? { width: 1280, height: 800 } });
  const page = await context.newPage();
  // Wait for the page to settle (scripts loaded, form enhanced) so the click is not lost to hydration.
  await page.goto('/login', { waitUntil: 'networkidle' });
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEMO.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Signed in once the URL leaves /login; each test then waits for what it needs on the page.
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { waitUntil: 'commit' });
  await page.waitForLoadState('domcontentloaded');
  return { context, page };
}

export const phone = { width: 390, height: 844 };

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

/** One app and one browser for a test file: started before its tests, stopped after them. */
export function useApp(ready: (app: App, browser: Browser) => void | Promise<void>, env: Record<string, string> = {}): void {
  let app: App | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    app = await startApp(env);
    browser = await launchBrowser();
    await ready(app, browser);
  });
  // A failed journey leaves what each open page showed: a screenshot, its address and text,
  // and the end of the server's log (CI output is all a later reader has).
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail' || !browser) return;
    const slug = ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    let n = 0;
    for (const context of browser.contexts()) {
      for (const page of context.pages()) {
        n++;
        try {
          await screenshot(page, `failed-${slug}-${n}`);
          const text = await page.evaluate(() => document.body?.innerText ?? '');
          console.log(`[failed page ${n}] ${page.url()}\n${text.slice(0, 1500)}`);
        } catch (e) {
          console.log(`[failed page ${n}] ${page.url()}: ${(e as Error).message}`);
        }
      }
      await context.close().catch(() => undefined);
    }
    console.log(`[server log, last lines]\n${app?.output().split('\n').slice(-40).join('\n')}`);
  });
  afterAll(async () => {
    if (process.env.PITBOARD_E2E_LOG) console.log(app?.output()); // the server's log, when debugging
    await browser?.close();
    await app?.stop();
  });
}
