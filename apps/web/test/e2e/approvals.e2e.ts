/**
 * Extra work approved from the share link (SPEC A3, A4; docs/api.md): a mechanic offline
 * proposes a brake-pad replacement on the phone; back online, the customer's share page shows
 * it live; the customer approves; the mechanic and the manager are told; the board's column
 * changes; a reload of every screen agrees. A stale tab's second decision gets plain words.
 * The line carries a customer photo taken offline on the phone: its bytes reach the share page
 * with the line; an internal photo of the same line never does.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO, phone, signIn, type App, useApp } from './harness.js';
import { apiAs, pendingCount, setOffline, shot, until, waitForServiceWorker, type Api } from './offline-helpers.js';

interface PhotoView {
  id: string;
  itemId: string | null;
  visibility: string;
}

/** A phone photo of one colour (a real JPEG, as the camera input hands it over). */
const jpeg = (colour: string) => sharp({ create: { width: 800, height: 600, channels: 3, background: colour } }).jpeg().toBuffer();

/** How many images matching `selector` have loaded pixels. */
const imagesLoaded = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0).length);

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
    // Still offline: a photo of the worn pads for the customer, on the line just proposed, and an
    // internal one of the same line (SPEC F-rules: never reachable through the share link).
    await mech.page.getByLabel('Photo of').selectOption({ label: 'Replace brake pads' });
    await mech.page.locator('input[name="photo-visibility"][value="customer"]').check();
    await mech.page.getByTestId('take-photo').setInputFiles({ name: 'pads.jpg', mimeType: 'image/jpeg', buffer: await jpeg('#b91c1c') });
    await mech.page.getByText('1 photo waiting').waitFor();
    await mech.page.getByLabel('Photo of').selectOption({ label: 'Replace brake pads' });
    await mech.page.getByTestId('take-photo').setInputFiles({ name: 'shop-note.jpg', mimeType: 'image/jpeg', buffer: await jpeg('#1d4ed8') });
    await mech.page.getByText('2 photos waiting').waitFor();
    await shot(mech.page, 'approvals-mechanic-offline-proposal');
    expect((await manager.get<{ items: unknown[] }>(`/api/jobs/${job.id}`)).items).toHaveLength(1);

    // Back online: the share page shows the line live (no reload), the board moves it.
    await setOffline(mech.context, false);
    const line = share.locator('li.line.pending', { hasText: 'Replace brake pads' });
    await line.waitFor({ timeout: 15_000 });
    await line.getByText('Front pads worn down to 1 mm').waitFor();
    expect(await line.getByRole('button', { name: 'Approve €45.00' }).isVisible()).toBe(true);
    await share.getByText('Total').waitFor();
    // …with its photo, live too: the customer one only, its thumbnail loaded from the share URL.
    const photos = await until(() => manager.get<{ photos: PhotoView[] }>(`/api/jobs/${job.id}`), (j) => j.photos.length === 2, 20_000, 'both photos uploaded');
    const forCustomer = photos.photos.find((p) => p.visibility === 'customer')!;
    const internal = photos.photos.find((p) => p.visibility === 'internal')!;
    expect(forCustomer.itemId).toBe(internal.itemId);
    const token = sharePath.split('/').pop()!;
    const thumb = line.locator(`img[src="/api/share/${token}/photos/${forCustomer.id}?size=thumb"]`);
    await until(() => imagesLoaded(share, `li.line.pending img[src*="/api/share/${token}/photos/"]`), (n) => n === 1, 15_000, 'the line photo, live');
    expect(await thumb.getAttribute('alt')).toBe('Replace brake pads, photo 1 of 1: open it larger');
    expect(await share.content()).not.toContain(internal.id);
    const bytes = await share.request.get(`/api/share/${token}/photos/${forCustomer.id}`);
    expect(bytes.status()).toBe(200);
    expect(bytes.headers()['content-type']).toBe('image/jpeg');
    expect((await sharp(Buffer.from(await bytes.body())).metadata()).width).toBe(800);
    expect((await share.request.get(`/api/share/${token}/photos/${internal.id}`)).status()).toBe(404);
    expect((await share.request.get(`/api/share/${token}/photos/${internal.id}?size=thumb`)).status()).toBe(404);
    // Keyboard: the thumbnail opens the larger photo; Escape closes it.
    await line.getByRole('button', { name: /open it larger/ }).focus();
    await share.keyboard.press('Enter');
    await until(() => imagesLoaded(share, 'li.line dialog[open] img'), (n) => n === 1, 5000, 'the larger photo');
    await shot(share, 'approvals-share-photo-large-phone');
    await share.keyboard.press('Escape');
    await share.locator('li.line dialog[open]').waitFor({ state: 'detached' });
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
    await until(() => imagesLoaded(share, `li.line.approved img[src*="/photos/${forCustomer.id}"]`), (n) => n === 1, 10_000, 'the photo stays with the approved line');
    expect(await share.content()).not.toContain(internal.id);
    await mech.page.reload();
    await mech.page.getByText('customer approved · €45.00').waitFor({ timeout: 15_000 });
    await until(() => imagesLoaded(mech.page, 'img[src*="/api/photos/"]'), (n) => n === 2, 10_000, 'both photos on the phone after the reload');
    expect(Number(await mech.page.getByTestId('photos-waiting').getAttribute('data-count'))).toBe(0);
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
