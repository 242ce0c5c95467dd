/**
 * The per-connection rate limit (docs/product.md, Targets; the seed's limits) closes a document that sends too
 * fast. For a mechanic ticking quickly that must only slow things down: the job opens again by
 * itself and every edit reaches the server, with no reload and nothing to resolve.
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO, phone, signIn, type App, useApp } from './harness.js';
import { apiAs, pendingCount, shot, syncText, until, type Api, type JobView } from './offline-helpers.js';

describe('rate limit', () => {
  let app: App;
  let browser: Browser;
  let manager: Api;
  let mechanic: Api;

  // A limit low enough that a fast thumb reaches it: 2 messages a second, bursts of 20.
  useApp(
    async (a, b) => {
      app = a;
      browser = b;
      manager = await apiAs(app, DEMO.manager);
      mechanic = await apiAs(app, DEMO.mechanic);
    },
    { MESSAGE_RATE_PER_SECOND: '2', MESSAGE_RATE_BURST: '20' }
  );

  it('a job closed for sending too fast opens again by itself, and every edit arrives', async () => {
    const titles = Array.from({ length: 12 }, (_, i) => `Spoke ${i + 1}`);
    const { id } = await manager.post<{ id: string }>('/api/jobs', { bike: 'Surly Long Haul Trucker', customer: { name: 'Ola' }, items: titles, mechanicId: mechanic.user.id });
    const { context, page } = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    await page.goto(`/m/jobs/${id}`);
    await page.getByRole('heading', { name: /Surly Long Haul Trucker/ }).waitFor({ timeout: 10_000 });

    // Tick every item, untick the odd ones, tick the first three again: 21 edits, as fast as taps go.
    const box = (title: string) => page.getByRole('checkbox', { name: title, exact: true });
    for (const t of titles) await box(t).check();
    for (const t of titles.filter((_, i) => i % 2 === 1)) await box(t).uncheck();
    for (const t of titles.slice(0, 3)) await box(t).check();
    const expected = titles.map((_, i) => i % 2 === 0 || i < 3);

    // The limit was reached (else this test would prove nothing)…
    const rateLimited = async () => Number(/^pitboard_rate_limited_total (\d+)$/m.exec(await (await fetch(`${app.url}/metrics`)).text())?.[1]);
    await until(rateLimited, (n) => n > 0, 15_000, 'the server to apply the rate limit');
    // …and the job synced anyway: everything on the server, nothing pending, connected.
    await until(() => manager.get<JobView>(`/api/jobs/${id}`), (j) => JSON.stringify(j.items.map((i) => i.done)) === JSON.stringify(expected), 30_000, 'every edit on the server');
    await until(() => pendingCount(page), (n) => n === 0, 15_000, 'pending 0');
    expect(await syncText(page)).toContain('All changes on the server');
    expect(await page.getByRole('alert').filter({ hasText: /refused/i }).count()).toBe(0);
    await shot(page, 'rate-limited-job-synced');
    await context.close();
  });
});
