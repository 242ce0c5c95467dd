/**
 * Soak check (run by hand, not in CI): the manager's board open for SOAK_MINUTES (default 10)
 * beside a mechanic's phone that goes offline every round, ticks an item and writes a note
 * offline, and comes back. Prints, per round, how long the board took to show the tick after the
 * phone's network returned and the board's status then, and at the end the board's socket
 * count (it should stay one: only the phone's network drops).
 *
 *   npm run build && node --import tsx apps/web/test/e2e/soak-board.ts
 */
import type { Page } from 'playwright-core';
import { DEMO, launchBrowser, phone, screenshot, signIn, startApp } from './harness.js';
import { apiAs, setOffline, until, type JobView } from './offline-helpers.js';

const minutes = Number(process.env.SOAK_MINUTES ?? 10);
const app = await startApp();
const browser = await launchBrowser();
try {
  const [manager, mechanic, customer] = await Promise.all([apiAs(app, DEMO.manager), apiAs(app, DEMO.mechanic), apiAs(app, DEMO.customer)]);
  const items = Array.from({ length: 12 }, (_, i) => `Item ${i + 1}`);
  const { id } = await manager.post<{ id: string }>('/api/jobs', { bike: 'Soak Surly', customerId: customer.user.id, mechanicId: mechanic.user.id, items });
  const job = await manager.get<JobView>(`/api/jobs/${id}`);

  const board = await signIn(browser, app, DEMO.manager);
  const boardPage = await board.context.newPage();
  await board.page.close();
  let opened = 0;
  let closed = 0;
  boardPage.on('websocket', (ws) => {
    if (!ws.url().endsWith('/collab')) return;
    opened++;
    ws.on('close', () => closed++);
  });
  await boardPage.goto('/board');
  const card = (page: Page) =>
    page.evaluate((jobId) => {
      const el = document.querySelector(`li.card[data-job="${jobId}"]`);
      return { progress: el?.querySelector('.progress .small')?.textContent?.trim() ?? null, live: document.querySelector('[data-live]')?.getAttribute('data-live') ?? null };
    }, job.id);
  await until(() => card(boardPage), (c) => c.progress === '0/12' && c.live === 'live', 20_000, 'board live');

  const phoneSide = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
  await phoneSide.page.goto(`/m/jobs/${job.id}`);
  await phoneSide.page.getByRole('checkbox').first().waitFor();

  const started = Date.now();
  const rounds: string[] = [];
  let round = 0;
  while (Date.now() - started < minutes * 60_000 && round < items.length) {
    await setOffline(phoneSide.context, true);
    await until(() => phoneSide.page.evaluate(() => navigator.onLine), (o) => !o, 10_000, 'phone offline');
    await phoneSide.page.getByRole('checkbox').nth(round).check();
    await phoneSide.page.waitForTimeout(15_000);
    const back = Date.now();
    await setOffline(phoneSide.context, false);
    const want = `${round + 1}/12`;
    const seen = await until(() => card(boardPage), (c) => c.progress === want, 30_000, `board shows ${want}`).catch((e: Error) => ({
      progress: `timeout (${e.message.slice(0, 80)})`,
      live: null
    }));
    rounds.push(`round ${round + 1}: board showed ${seen.progress} ${Date.now() - back} ms after the phone came back (live=${seen.live})`);
    console.log(rounds.at(-1));
    round++;
    await boardPage.waitForTimeout(Math.max(0, 50_000 - (Date.now() - back)));
  }
  await screenshot(boardPage, 'soak-board-end');
  console.log(`\n${((Date.now() - started) / 60_000).toFixed(1)} min, ${round} rounds; board sockets opened ${opened}, closed ${closed}; status now: ${(await card(boardPage)).live}`);
} finally {
  await browser.close();
  await app.stop();
}
