/**
 * Mechanics work with the network gone: the app opens from the service worker, edits land in
 * IndexedDB, the pending count is exact, and everything reaches the server when it returns.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO, phone, signIn, type App } from './harness.js';
import { useDemoShop, pendingCount, setOffline, shot, syncText, until, waitForServiceWorker, type Api, type JobView } from './offline-helpers.js';

describe('offline', () => {
  let app: App, browser: Browser, manager: Api, mechanic: Api;
  useDemoShop((shop) => ({ app, browser, manager, mechanic } = shop));

  async function newJob(bike: string, items: string[]): Promise<string> {
    const { id } = await manager.post<{ id: string }>('/api/jobs', { bike, customer: { name: 'Offline Tester' }, items });
    await manager.post(`/api/jobs/${id}/assign`, { mechanicId: mechanic.user.id });
    return id;
  }
  const job = (id: string) => manager.get<JobView>(`/api/jobs/${id}`);

  async function openJobPage(page: Page, id: string) {
    await page.goto('/m');
    await page.getByRole('link', { name: new RegExp(`^#\\d+ `) }).first().waitFor();
    await page.goto(`/m/jobs/${id}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
  }

  it('opens offline from the service worker, keeps edits across a reopen, and syncs them when back online', async () => {
    const id = await newJob('Trek Domane offline', ['Replace chain', 'True rear wheel', 'Bleed brakes']);
    const { context, page } = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    await waitForServiceWorker(page);
    await openJobPage(page, id);
    // What a mechanic checks before walking into the dead zone: the job is saved on the phone.
    await page.getByText('Saved on this device').waitFor({ timeout: 10_000 });

    await setOffline(context, true);
    await page.reload();
    await page.getByRole('heading', { name: /Trek Domane offline/ }).waitFor({ timeout: 15_000 });
    expect(await syncText(page)).toContain('Offline');
    await page.getByRole('checkbox', { name: 'Replace chain' }).check();
    await page.getByRole('checkbox', { name: 'True rear wheel' }).check();
    await page.getByRole('textbox', { name: 'Note' }).fill('Chain replaced while offline');
    await page.getByLabel('For the customer').check();
    await page.getByRole('button', { name: 'Send to the customer' }).click();
    await until(() => pendingCount(page), (n) => n === 3, 5000, 'pending 3');
    expect(await syncText(page)).toContain('3 changes not on the server yet');
    await shot(page, 'offline-job-pending');

    // Close the page, open the app again, still offline: the edits and the count are there.
    await page.close();
    const again = await context.newPage();
    await again.goto(`/m/jobs/${id}`);
    await again.getByRole('heading', { name: /Trek Domane offline/ }).waitFor({ timeout: 15_000 });
    expect(await again.getByRole('checkbox', { name: 'Replace chain' }).isChecked()).toBe(true);
    await again.getByText('Chain replaced while offline').waitFor();
    await until(() => pendingCount(again), (n) => n === 3, 5000, 'pending 3 after reopen');
    // The list opens offline too.
    await again.getByRole('main').getByRole('link', { name: 'My jobs' }).click();
    await again.getByRole('link', { name: /Trek Domane offline/ }).waitFor();
    await shot(again, 'offline-my-jobs');
    expect((await job(id)).notes).toHaveLength(0);

    // Back online: the server (the manager's view) has them within seconds.
    const t0 = Date.now();
    await setOffline(context, false);
    const facts = await until(() => job(id), (j) => j.notes.length === 1 && j.items.filter((i) => i.done).length === 2, 10_000, 'server has the edits');
    console.log(`[offline] 3 offline edits on the server ${Date.now() - t0} ms after the network returned`);
    expect(facts.notes[0]!.text).toBe('Chain replaced while offline');
    expect(facts.notes[0]!.visibility).toBe('customer');
    await until(() => pendingCount(again), (n) => n === 0, 10_000, 'pending 0');
    expect(await syncText(again)).toContain('All changes on the server');
    await shot(again, 'offline-back-online');

    // A manager's browser sees the job with the edits (the API the board uses, through their session).
    const { context: mctx, page: mpage } = await signIn(browser, app, DEMO.manager);
    const seen = await mpage.evaluate(async (jobId) => (await fetch(`/api/jobs/${jobId}`)).json(), id);
    expect(seen.progress.done).toBe(2);
    await mctx.close();
    await context.close();
  });

  it('two devices edit the same job offline; both edits survive', async () => {
    const id = await newJob('Cube Attain two devices', ['Front brake', 'Rear brake', 'Gears']);
    const a = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    const b = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    for (const p of [a.page, b.page]) {
      await waitForServiceWorker(p);
      await openJobPage(p, id);
      await until(() => syncText(p), (t) => t.includes('Live'), 10_000, 'connected');
    }
    await setOffline(a.context, true);
    await setOffline(b.context, true);
    await a.page.getByRole('checkbox', { name: 'Front brake' }).check();
    await a.page.getByRole('textbox', { name: 'Note' }).fill('Note from device A');
    await a.page.getByRole('button', { name: 'Add note' }).click();
    await b.page.getByRole('checkbox', { name: 'Rear brake' }).check();
    await b.page.getByRole('textbox', { name: 'Note' }).fill('Note from device B');
    await b.page.getByRole('button', { name: 'Add note' }).click();
    await until(() => pendingCount(a.page), (n) => n === 2, 5000, 'A pending');
    await until(() => pendingCount(b.page), (n) => n === 2, 5000, 'B pending');

    await setOffline(a.context, false);
    await setOffline(b.context, false);
    const facts = await until(() => job(id), (j) => j.notes.length === 2 && j.items.filter((i) => i.done).length === 2, 15_000, 'both edits');
    expect(facts.notes.map((n) => n.text).sort()).toEqual(['Note from device A', 'Note from device B']);
    for (const p of [a.page, b.page]) {
      await p.getByText('Note from device A').waitFor({ timeout: 10_000 });
      await p.getByText('Note from device B').waitFor({ timeout: 10_000 });
      expect(await p.getByRole('checkbox', { name: 'Front brake' }).isChecked()).toBe(true);
      expect(await p.getByRole('checkbox', { name: 'Rear brake' }).isChecked()).toBe(true);
      await until(() => pendingCount(p), (n) => n === 0, 10_000, 'pending 0');
    }
    await shot(b.page, 'offline-two-devices-merged');
    await a.context.close();
    await b.context.close();
  });

  it('a flaky link: every edit arrives once; server and browsers converge', async () => {
    const id = await newJob('Giant Defy flaky', ['Wash', 'Lube chain', 'Check spokes', 'Pump tyres']);
    const a = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    const b = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    for (const p of [a.page, b.page]) {
      await waitForServiceWorker(p);
      await openJobPage(p, id);
    }
    await until(() => syncText(a.page), (t) => t.includes('Live'), 10_000, 'connected');
    const N = 30;
    let offline = false;
    for (let i = 0; i < N; i++) {
      if (i % 3 === 0) {
        offline = !offline;
        await setOffline(a.context, offline);
      }
      await a.page.getByRole('textbox', { name: 'Note' }).fill(`burst ${i}`);
      await a.page.getByRole('button', { name: 'Add note' }).click();
      if (i === 10) await a.page.getByRole('checkbox', { name: 'Wash' }).check();
      if (i === 20) await a.page.getByRole('checkbox', { name: 'Check spokes' }).check();
    }
    await setOffline(a.context, false);
    const facts = await until(() => job(id), (j) => j.notes.length >= N, 20_000, 'all notes');
    const texts = facts.notes.map((n) => n.text);
    expect(texts).toHaveLength(N);
    expect(new Set(texts).size).toBe(N);
    expect(facts.items.filter((i) => i.done).map((i) => i.title).sort()).toEqual(['Check spokes', 'Wash']);
    await until(() => pendingCount(a.page), (n) => n === 0, 15_000, 'A pending 0');
    // The other browser converges to the same notes and status.
    await until(() => b.page.locator('.notes li').count(), (n) => n === N, 15_000, 'B has every note');
    const statusA = await a.page.locator('.status').textContent();
    const statusB = await b.page.locator('.status').textContent();
    expect(statusA).toBe(statusB);
    await shot(a.page, 'offline-flaky-converged');
    await a.context.close();
    await b.context.close();
  });

  it('measures: 50 jobs x 20 offline edits, time until all are on the server', { timeout: 300_000 }, async () => {
    const JOBS = 50;
    const EDITS = 20;
    const titles = Array.from({ length: EDITS }, (_, i) => `Step ${i + 1}`);
    const ids: string[] = [];
    for (let i = 0; i < JOBS; i++) ids.push(await newJob(`Bench bike ${i + 1}`, titles));
    const { context, page } = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    await waitForServiceWorker(page);
    await page.goto('/m');
    await page.getByRole('link', { name: /Bench bike 50$/ }).waitFor({ timeout: 20_000 });
    // Every listed job's replica is on the device before the network goes.
    const userId = mechanic.user.id;
    await until(
      () =>
        page.evaluate(async (uid) => {
          const db: IDBDatabase = await new Promise((res, rej) => {
            const r = indexedDB.open(`pitboard-${uid}`);
            r.onsuccess = () => res(r.result);
            r.onerror = () => rej(r.error);
          });
          const keys: IDBValidKey[] = await new Promise((res) => {
            const req = db.transaction('$jobs.doc_updates').objectStore('$jobs.doc_updates').index('k').getAllKeys();
            req.onsuccess = () => res(req.result);
          });
          const rows: { k: string }[] = await new Promise((res) => {
            const req = db.transaction('$jobs.doc_updates').objectStore('$jobs.doc_updates').getAll();
            req.onsuccess = () => res(req.result);
          });
          db.close();
          void keys;
          return new Set(rows.map((r) => r.k)).size;
        }, userId),
      (n) => n >= JOBS,
      60_000,
      'replicas on the device'
    );

    await setOffline(context, true);
    const tEdit = Date.now();
    for (const id of ids) {
      await page.goto(`/m/jobs/${id}`);
      await page.getByRole('checkbox', { name: 'Step 20' }).waitFor({ timeout: 15_000 });
      const boxes = page.getByRole('checkbox');
      for (let i = 0; i < EDITS; i++) await boxes.nth(i).check();
    }
    await until(() => pendingCount(page), (n) => n === JOBS * EDITS, 30_000, 'all edits pending');
    const editMs = Date.now() - tEdit;

    const t0 = Date.now();
    await setOffline(context, false);
    await until(
      async () => {
        const rows = await manager.get<{ id: string; progress: { done: number } }[]>('/api/jobs');
        return rows.filter((r) => ids.includes(r.id) && r.progress.done === EDITS).length;
      },
      (n) => n === JOBS,
      240_000,
      'all edits on the server'
    );
    const serverMs = Date.now() - t0;
    await until(() => pendingCount(page), (n) => n === 0, 120_000, 'pending 0');
    const clearedMs = Date.now() - t0;
    console.log(
      `[measure] ${JOBS} jobs x ${EDITS} offline edits (${JOBS * EDITS}): made offline in ${editMs} ms; ` +
        `all on the server ${serverMs} ms after the network returned; the mechanic's pending count reached 0 after ${clearedMs} ms`
    );
    await shot(page, 'offline-measure-done');
    await context.close();
  });
});
