/** Sign-in as each role lands on its home; wrong passwords are explained; sign-out works. */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { type App, DEMO, phone, screenshot, signIn, useApp } from './harness.js';

describe('login', () => {
  let app: App;
  let browser: Browser;
  useApp((a, b) => {
    app = a;
    browser = b;
  });

  it('a wrong password is explained, and nothing else happens', async () => {
    const context = await browser.newContext({ baseURL: app.url });
    const page = await context.newPage();
    await page.goto('/board');
    await page.waitForURL(/\/login/);
    await page.getByLabel('Email').fill(DEMO.manager);
    await page.getByLabel('Password').fill('nope-nope');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong email or password');
    await screenshot(page, 'login-wrong-password');
    await context.close();
  });

  it('each role lands on its home, and can sign out', async () => {
    for (const [email, home] of [
      [DEMO.manager, '/board'],
      [DEMO.mechanic, '/m'],
      [DEMO.customer, '/c']
    ] as const) {
      const { context, page } = await signIn(browser, app, email, email === DEMO.manager ? {} : { viewport: phone });
      expect(new URL(page.url()).pathname).toBe(home);
      await screenshot(page, `home-${home.slice(1)}`);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/login/);
      await page.goto(home);
      await page.waitForURL(/\/login/);
      await context.close();
    }
  });
});
