// Steps and page helpers shared by the browser flows (flows.mjs, layouts.mjs).
import { join } from 'node:path';

export const PASSWORD = 'Correct-Horse-Battery-9';
export const SLOW = 90_000;

/** Helpers bound to one run: the gateway's URL, the screenshot folder and a unique suffix. */
export function flowKit(BASE_URL, SHOTS) {
  const suffix = Math.random().toString(16).slice(2, 8);
  const email = (who) => `${who}-${suffix}@example.com`;
  const counter = { passed: 0 };

  async function step(name, body) {
    const started = Date.now();
    await body();
    counter.passed += 1;
    console.log(`ok - ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }

  async function shot(page, name) {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }

  async function expectVisible(locator, timeout = 15_000) {
    await locator.first().waitFor({ state: 'visible', timeout });
  }

  /** Reloads until `locator` shows: for data that arrives through events a moment later. */
  async function reloadUntil(page, locator, what, timeout = SLOW) {
    const deadline = Date.now() + timeout;
    for (;;) {
      try {
        await locator.first().waitFor({ state: 'visible', timeout: 2_000 });
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await page.reload();
      }
    }
  }

  const pages = [];

  async function newPage(browser) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    pages.push(page);
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    if (process.env.TF_DEBUG)
      page.on('console', (message) => console.error(`console ${message.type()}: ${message.text()}`));
    return page;
  }

  async function signUp(page, company, adminEmail) {
    await page.goto(`${BASE_URL}/signup`);
    await page.getByLabel('Company name').fill(company);
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Last name').fill('Admin');
    await page.getByLabel('Work email').fill(adminEmail);
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create company' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Welcome, Ada' }));
  }

  async function signIn(page, userEmail) {
    await page.goto(`${BASE_URL}/login`);
    // A new browser has no session: the sign-in form must show, not someone else's dashboard.
    const form = page.getByRole('heading', { level: 1, name: 'Sign in' });
    const someoneElse = page.getByRole('heading', { level: 1, name: /^Welcome/ });
    await expectVisible(form.or(someoneElse));
    if (await someoneElse.isVisible()) {
      throw new Error('a new browser without any cookie was signed in as another user (session restored by /refresh)');
    }
    await page.getByLabel('Email').fill(userEmail);
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: /^Welcome/ }));
  }

  async function createUser(page, userEmail, firstName, roleName) {
    await page.goto(`${BASE_URL}/admin/users/new`);
    await page.getByLabel('First name').fill(firstName);
    await page.getByLabel('Last name').fill('Example');
    await page.getByLabel('Email').fill(userEmail);
    await page.getByLabel('Initial password (optional)').fill(PASSWORD);
    if (roleName) await page.getByRole('checkbox', { name: new RegExp(`^${roleName}`) }).check();
    await page.getByRole('button', { name: 'Create user' }).click();
    await expectVisible(page.getByText(`${firstName} Example has been created.`));
  }

  return { suffix, email, counter, step, shot, expectVisible, reloadUntil, pages, newPage, signUp, signIn, createUser };
}
