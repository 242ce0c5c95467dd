/**
 * Extra work approved from the share link (SPEC A3, A4; docs/api.md): a mechanic offline
 * proposes a brake-pad replacement on the phone; back online, the customer's share page shows
 * it live; the customer approves; the mechanic and the manager are told; the board's column
 * changes; a reload of every screen agrees. A stale tab's second decision gets plain words.
 * Photos of the line (the photos feature) hook in at `photoIds` of the share view.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO, phone, signIn, type App, useApp } from './harness.js';
import { apiAs, pendingCount, setOffline, shot, until, waitForServiceWorker, type Api } from './offline-helpers.js';

interface Notification {
  kind: string;
  jobId: string;
}

/** The column a job's card sits in on the board. */
const columnOf = (page: Page, jobId: string) =>
  page.evaluate((id) => {
    const section = document.querySelector(`li.card[data-job="${id}"]`)?.closest('section.column');
    return section ? ([...section.classList].find((c) => c !== 'column' && !c.startsWith('svelte-')) ?? null) : null;
  }, jobId);

/** The signed-in person's notifications of one kind for the job, through their own session. */
const told = (page: Page, jobId: string, kind: string) =>
  page.evaluate(
    async ({ jobId, kind }) => ((await (await fetch('/api/notifications')).json()) as Notification[]).filter((n) => n.jobId === jobId && n.kind === kind).length,
    { jobId, kind }
  );

describe('approvals journey', () => {
  let app: App;
  let browser: Browser;
  let manager: Api;
  let mechanic: Api;
  let customer: Api;

  useApp(async (a, b) => {
    app = a;
    browser = b;
    manager = await apiAs(app, DEMO.manager);
    mechanic = await apiAs(app, DEMO.mechanic);
    customer = await apiAs(app, DEMO.customer);
  });

  it('offline proposal → live on the share page → approved once → everyone told, board moves, reloads agree', { timeout: 180_000 }, async () => {
    const job = await manager.post<{ id: string; number: number; shareUrl: string }>('/api/jobs', {
      bike: 'Cube Attain',
      customerId: customer.user.id,
      items: ['Full service'],
      mechanicId: mechanic.user.id
    });
    const sharePath = new URL(job.shareUrl).pathname;

    // The mechanic's phone has the job, then loses the network.
    const mech = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    await waitForServiceWorker(mech.page);
    await mech.page.goto('/m');
    await mech.page.getByRole('link', { name: /Cube Attain/ }).waitFor();
    await mech.page.goto(`/m/jobs/${job.id}`);
    await mech.page.getByText('Saved on this device').waitFor({ timeout: 15_000 });

    // The manager's board and the customer's share page are open meanwhile.
    const boss = await signIn(browser, app, DEMO.manager);
    await boss.page.goto('/board');
    await until(() => columnOf(boss.page, job.id), (c) => c === 'assigned', 15_000, 'board shows the job assigned');
    const cust = await browser.newContext({ baseURL: app.url, viewport: phone });
    const share = await cust.newPage();
    await share.goto(sharePath);
    await share.getByRole('heading', { name: 'Cube Attain' }).waitFor();
    await share.getByText('Live').first().waitFor({ timeout: 15_000 });
    // A second tab of the same link, without JavaScript: it keeps what it first showed.
    const staleContext = await browser.newContext({ baseURL: app.url, viewport: phone, javaScriptEnabled: false });
    const stale = await staleContext.newPage();

    await setOffline(mech.context, true);
    await mech.page.getByRole('button', { name: 'Propose extra work' }).click();
    await mech.page.getByLabel('What needs doing').fill('Replace brake pads');
    await mech.page.getByLabel(/^Price/).fill('45');
    await mech.page.getByLabel(/^Why/).fill('Front pads worn down to 1 mm');
    await mech.page.getByRole('button', { name: 'Ask the customer' }).click();
    await mech.page.getByText('waiting for the customer · €45.00').waitFor();
    await until(() => pendingCount(mech.page), (n) => n === 1, 5000, 'one change waits on the phone');
    await shot(mech.page, 'approvals-mechanic-offline-proposal');
    expect((await manager.get<{ items: unknown[] }>(`/api/jobs/${job.id}`)).items).toHaveLength(1);

    // Back online: the share page shows the line live (no reload), the board moves it.
    await setOffline(mech.context, false);
    const line = share.locator('li.line.pending', { hasText: 'Replace brake pads' });
    await line.waitFor({ timeout: 15_000 });
    await line.getByText('Front pads worn down to 1 mm').waitFor();
    expect(await line.getByRole('button', { name: 'Approve €45.00' }).isVisible()).toBe(true);
    await share.getByText('Total').waitFor();
    await until(() => columnOf(boss.page, job.id), (c) => c === 'awaiting_approval', 15_000, 'board column: awaiting approval');
    await until(() => customer.get<Notification[]>('/api/notifications'), (ns) => ns.some((n) => n.jobId === job.id && n.kind === 'approval_requested'), 10_000, 'the customer is asked');
    await stale.goto(sharePath);
    await shot(share, 'approvals-share-pending-phone');

    // The customer approves with the keyboard.
    await line.getByRole('button', { name: 'Approve €45.00' }).focus();
    await share.keyboard.press('Enter');
    await share.locator('li.line.approved').getByText('You approved this').waitFor({ timeout: 10_000 });
    await shot(share, 'approvals-share-approved-phone');

    // The stale tab's click, and a replayed request: 409, said in plain words, nothing changes.
    await stale.getByRole('button', { name: 'Decline' }).click();
    await stale.getByRole('alert').getByText(/already decided/).waitFor();
    await shot(stale, 'approvals-share-stale-409');
    const itemId = (await line.getAttribute('data-line').catch(() => null)) ?? (await share.locator('li.line.approved').getAttribute('data-line'));
    const replay = await fetch(`${app.url}/api/share${sharePath.slice(2)}/approvals/${itemId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ decision: 'declined' }) });
    expect(replay.status).toBe(409);
    const facts = await manager.get<{ status: string; total: number; items: { approval?: string; decidedVia?: string }[] }>(`/api/jobs/${job.id}`);
    expect(facts.items[1]).toMatchObject({ approval: 'approved' });
    expect(facts.total).toBe(4500);

    // The mechanic's screen follows live; the mechanic and the manager are told.
    await mech.page.getByText('customer approved · €45.00').waitFor({ timeout: 10_000 });
    await until(() => told(mech.page, job.id, 'approval_decided'), (n) => n === 1, 10_000, 'mechanic told');
    await until(() => told(boss.page, job.id, 'approval_decided'), (n) => n === 1, 10_000, 'manager told');
    await until(() => columnOf(boss.page, job.id), (c) => c === 'assigned', 15_000, 'board column back to assigned');

    // Every screen, reloaded, agrees.
    await share.reload();
    await share.locator('li.line.approved').getByText('You approved this').waitFor();
    expect(await share.locator('li.line.pending').count()).toBe(0);
    await mech.page.reload();
    await mech.page.getByText('customer approved · €45.00').waitFor({ timeout: 15_000 });
    await boss.page.reload();
    await until(() => columnOf(boss.page, job.id), (c) => c === 'assigned', 15_000, 'board after reload');
    await boss.page.goto(`/board/jobs/${job.id}`);
    const audit = boss.page.locator(`[data-audit]`);
    await audit.getByText(/Approved · .* · via link/).waitFor();
    await boss.page.getByText('€45.00').first().waitFor();
    await shot(boss.page, 'approvals-manager-job-desktop');
    await boss.page.setViewportSize(phone);
    await shot(boss.page, 'approvals-manager-job-phone');
    await boss.page.setViewportSize({ width: 1280, height: 800 });
    await boss.page.goto('/board');
    await shot(boss.page, 'approvals-board-desktop');

    await Promise.all([mech.context.close(), boss.context.close(), cust.close(), staleContext.close()]);
  });
});
