/**
 * Every screen tells the truth about being live (docs/sync.md: Keepalive, Catching up,
 * Connection status). An idle board keeps its one socket; a board, a customer's list and a
 * mechanic's list that were cut off while a mechanic worked match the server again after the
 * reconnect, without a reload; the status says "Live" only once they do.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO, phone, screenshot, signIn, useApp, type App } from './harness.js';
import { apiAs, setOffline, until, type Api, type JobView } from './offline-helpers.js';

/** A job for the demo customer, assigned to the demo mechanic, with four items. */
async function assignedJob(manager: Api, mechanic: Api, customer: Api, bike: string): Promise<JobView> {
  const { id } = await manager.post<{ id: string }>('/api/jobs', { bike, customerId: customer.user.id, mechanicId: mechanic.user.id, items: ['Brakes', 'Chain', 'Gears', 'Tyres'] });
  return manager.get<JobView>(`/api/jobs/${id}`);
}

/** While the screen is cut off: two ticks and a stuck report, as the mechanic's API calls. */
async function workWhileAway(mechanic: Api, job: JobView): Promise<void> {
  await mechanic.post(`/api/jobs/${job.id}/items/${job.items[0]!.id}`, { done: true });
  await mechanic.post(`/api/jobs/${job.id}/items/${job.items[1]!.id}`, { done: true });
  await mechanic.post(`/api/mechanic/repair/${job.id}/stuck`, { reason: 'Seized bottom bracket' });
}

const liveText = (page: Page) => page.getByRole('status', { name: 'Connection' }).textContent().then((t) => t ?? '');

/** What the board shows for a job: its column, its progress, and whether its stuck alert is up. */
function boardState(page: Page, job: JobView) {
  return page.evaluate(
    ({ id, number }) => {
      const card = document.querySelector(`li.card[data-job="${id}"]`);
      const section = card?.closest('section.column');
      const column = section ? ([...section.classList].find((c) => c !== 'column' && !c.startsWith('svelte-')) ?? null) : null;
      const progress = card?.querySelector('.progress .small')?.textContent?.trim() ?? null;
      const alerts = [...document.querySelectorAll('section.alerts li')].map((li) => li.textContent ?? '');
      return { column, progress, stuckAlert: alerts.some((a) => a.includes(`Stuck: #${number}`)), live: document.querySelector('[data-live]')?.getAttribute('data-live') };
    },
    { id: job.id, number: job.number }
  );
}

describe('live screens', () => {
  let app: App;
  let browser: Browser;
  let manager: Api, mechanic: Api, customer: Api;
  useApp(async (a, b) => {
    app = a;
    browser = b;
    [manager, mechanic, customer] = await Promise.all([apiAs(a, DEMO.manager), apiAs(a, DEMO.mechanic), apiAs(a, DEMO.customer)]);
  });

  it('an idle board keeps one socket for 70 s: no reconnect, still Live', async () => {
    const { context, page: signedIn } = await signIn(browser, app, DEMO.manager);
    // A page of its own, so the sign-in page's socket is not counted.
    const page = await context.newPage();
    await signedIn.close();
    const opened: string[] = [];
    const closed: string[] = [];
    page.on('websocket', (ws) => {
      if (!ws.url().endsWith('/collab')) return;
      opened.push(ws.url());
      ws.on('close', () => closed.push(ws.url()));
    });
    await page.goto('/board');
    await until(async () => opened.length, (n) => n === 1, 15_000, 'the board’s socket');
    await page.locator('section.column').first().waitFor();
    const start = Date.now();
    // The journey is the wait itself: more than twice the provider's 30 s no-message timeout
    // and past the server's 60 s idle timeout, with nothing happening.
    await page.waitForTimeout(70_000);
    console.log(`idle board: ${opened.length} socket(s) opened, ${closed.length} closed in ${((Date.now() - start) / 1000).toFixed(0)} s`);
    expect(closed).toEqual([]);
    expect(opened).toHaveLength(1);
    expect(await liveText(page)).toContain('Live');
    await context.close();
  }, 120_000);

  it('a board cut off while the mechanic ticks twice and reports stuck is right again after the reconnect — cards, columns, alerts', async () => {
    const job = await assignedJob(manager, mechanic, customer, 'Catch-up Cannondale');
    const { context, page } = await signIn(browser, app, DEMO.manager);
    await page.goto('/board');
    // (`live` undefined: a board without a status, as before it had one.)
    await until(() => boardState(page, job), (s) => s.column === 'assigned' && s.progress === '0/4' && s.live !== 'connecting', 15_000, 'board live, job assigned');

    await setOffline(context, true);
    await until(() => page.evaluate(() => navigator.onLine), (online) => !online, 10_000, 'offline');
    await workWhileAway(mechanic, job);
    const whileAway = await boardState(page, job);
    await screenshot(page, 'live-board-offline');

    const back = Date.now();
    await setOffline(context, false);
    const right = (b: Awaited<ReturnType<typeof boardState>>) => b.column === 'stuck' && b.progress === '2/4' && b.stuckAlert;
    const seen = await until(() => boardState(page, job), (b) => b.live === 'live' || right(b), 15_000, 'board right or Live again');
    const ms = Date.now() - back;
    // "Live" is shown only once the catch-up is in: whichever came first, both hold now.
    expect(seen).toMatchObject({ column: 'stuck', progress: '2/4', stuckAlert: true });
    expect(seen.live).toBe('live');
    // While cut off, the board showed what it had and did not claim to be live.
    expect(whileAway).toMatchObject({ column: 'assigned', progress: '0/4', live: 'offline' });
    console.log(`board right and Live ${ms} ms after the network returned`);
    await screenshot(page, 'live-board-caught-up');
    await context.close();
  });

  it('the customer’s list cut off while the mechanic works is right again after the reconnect', async () => {
    const job = await assignedJob(manager, mechanic, customer, 'Catch-up Canyon');
    const { context, page } = await signIn(browser, app, DEMO.customer, { viewport: phone });
    await page.goto('/c');
    const repair = () =>
      page.evaluate((number) => {
        const li = [...document.querySelectorAll('ul.repairs li')].find((l) => l.textContent?.includes(`#${number} `));
        return { text: li?.textContent?.replace(/\s+/g, ' ').trim() ?? '', live: document.querySelector('[data-live]')?.getAttribute('data-live') };
      }, job.number);
    await until(repair, (r) => r.text.includes('0 of 4 done') && r.live !== 'connecting', 15_000, 'customer list live');

    await setOffline(context, true);
    await until(() => page.evaluate(() => navigator.onLine), (online) => !online, 10_000, 'offline');
    await workWhileAway(mechanic, job);
    const whileAway = await repair();

    const back = Date.now();
    await setOffline(context, false);
    const seen = await until(repair, (r) => r.live === 'live' || r.text.includes('2 of 4 done'), 15_000, 'list right or Live again');
    expect(seen.live).toBe('live');
    const ms = Date.now() - back;
    expect(seen.text).toContain('2 of 4 done');
    expect(seen.text).toContain('Work paused');
    expect(whileAway).toMatchObject({ live: 'offline' });
    console.log(`customer list right and Live ${ms} ms after the network returned`);
    await context.close();
  });

  it('a mechanic’s list catches up after a socket drop the browser never noticed (no online event)', async () => {
    const { context, page } = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    // The network between this phone and the server: it can drop the socket and refuse new ones
    // while the browser still believes it is online.
    let cut = false;
    const sockets: { close(): Promise<void> }[] = [];
    await page.routeWebSocket(/\/collab$/, (ws) => {
      if (cut) return void ws.close({ code: 1006 as number, reason: '' }).catch(() => undefined);
      ws.connectToServer();
      sockets.push(ws);
    });
    await page.goto('/m');
    const syncText = () => page.getByRole('status', { name: 'Sync status' }).textContent().then((t) => t ?? '');
    await until(syncText, (t) => /Live|Connected/.test(t), 15_000, 'mechanic connected');

    cut = true;
    for (const ws of sockets.splice(0)) await ws.close().catch(() => undefined);
    await until(syncText, (t) => !/Live|Connected/.test(t), 15_000, 'not Live once the socket dropped');
    const job = await assignedJob(manager, mechanic, customer, 'Catch-up Cube');
    cut = false;
    await until(() => page.getByRole('link', { name: new RegExp(`#${job.number}`) }).count(), (n) => n > 0, 20_000, 'the job assigned meanwhile on the list');
    expect(await syncText()).toContain('Live');
    await context.close();
  });
});
