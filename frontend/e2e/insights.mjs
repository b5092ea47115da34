// Dashboards, reports and search in the browser, against the running system.
//
//   TF_BASE_URL=http://127.0.0.1:8000 TF_BUNDLE=/path/to/bundle.yaml node e2e/insights.mjs
//
// A new company sees its first steps; a requester's dashboard says what each ticket waits on; a
// task worker's shows their open tasks and their week beside the team's; the admin's shows the
// company's week; the reports page draws its charts, counts SLA breaches, exports a table as CSV and shows the
// service's answer to a bad range; the header's search box finds tickets and tasks, and the
// task list searches text. Screenshots go to TF_SCREENSHOTS as insights-*.png.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchBrowser } from './browser.mjs';
import { flowKit, SLOW } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const BASE_URL = process.env.TF_BASE_URL;
const BUNDLE = process.env.TF_BUNDLE;
const SHOTS = resolve(process.env.TF_SCREENSHOTS ?? join(here, '..', '..', 'artifacts', 'screenshots'));

if (!BASE_URL || !BUNDLE) {
  console.error('Set TF_BASE_URL (the gateway) and TF_BUNDLE (the bundle to upload).');
  process.exit(2);
}
mkdirSync(SHOTS, { recursive: true });

const { suffix, email, counter, step, shot, expectVisible, reloadUntil, pages, newPage, signUp, signIn, createUser } =
  flowKit(BASE_URL, SHOTS);

/**
 * Leaves the dashboard and comes back through the app's navigation until `locator` shows. A full
 * reload would restore the session with a refresh each time; navigating in the app refetches
 * only the dashboard's figures.
 */
async function revisitDashboardUntil(page, locator, what, timeout = SLOW) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      await locator.first().waitFor({ state: 'visible', timeout: 2_000 });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await nav.getByRole('link', { name: 'My tickets' }).click();
      await nav.getByRole('link', { name: 'Dashboard' }).click();
    }
  }
}

async function submitTicket(page, title, employee) {
  await page.goto(`${BASE_URL}/tickets/new`);
  await reloadUntil(page, page.getByLabel('Title'), 'the IT onboarding form');
  await page.getByLabel('Title').fill(title);
  await page.getByLabel(/Employee name/).fill(employee);
  await page.getByLabel(/Start date/).fill('2030-01-06');
  await page.getByLabel(/Department/).selectOption('Engineering');
  await page.getByRole('button', { name: 'Submit ticket' }).click();
  await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
}

const browser = await launchBrowser();
try {
  const admin = await newPage(browser);
  const company = `Insight Co ${suffix}`;

  await step('a new company sees first steps on the dashboard', async () => {
    await signUp(admin, company, email('admin'));
    await expectVisible(admin.getByRole('heading', { level: 2, name: 'First steps' }));
    // The dashboard names the company (read from GET /api/identity/company).
    await expectVisible(admin.getByTestId('company-name').filter({ hasText: company }));
    await expectVisible(admin.getByRole('link', { name: 'Invite a user →' }));
    await shot(admin, 'insights-01-first-steps');
  });

  await step('the first steps open the bundle editor on the sample workflow', async () => {
    await admin.getByRole('link', { name: 'Start from the sample →' }).click();
    const editor = admin.getByLabel('Bundle (YAML or JSON)');
    await expectVisible(editor);
    const text = await editor.inputValue();
    if (!text.includes('key: it_onboarding')) throw new Error('the editor did not open on the sample bundle');
    // Published with its actions pointed at the test's receiver.
    await editor.fill(readFileSync(BUNDLE, 'utf8'));
    await admin.getByRole('button', { name: 'Publish' }).click();
    await expectVisible(admin.getByText('Published it_onboarding version 1.'));
  });

  const workerEmail = email('worker');
  const requesterEmail = email('requester');
  await createUser(admin, workerEmail, 'Wendy', 'Task worker');
  await createUser(admin, requesterEmail, 'Rita', null);

  const requester = await newPage(browser);
  await step("a requester's dashboard says what each open ticket waits on", async () => {
    await signIn(requester, requesterEmail);
    await submitTicket(requester, 'Onboarding for Grace', 'Grace Hopper');
    await submitTicket(requester, 'Onboarding for Alan', 'Alan Turing');
    await requester.goto(BASE_URL);
    const mine = requester.getByRole('list', { name: 'My open tickets' });
    await revisitDashboardUntil(
      requester,
      mine.getByText('Waiting on: Review request: with a team member'),
      'the review task on the dashboard',
    );
    const rows = await mine.getByRole('listitem').allInnerTexts();
    if (rows.length !== 2 || !rows[0].includes('Onboarding for Grace'))
      throw new Error(`expected both tickets, oldest first: ${JSON.stringify(rows)}`);
    await shot(requester, 'insights-02-requester-dashboard');
  });

  const worker = await newPage(browser);
  await step("a worker's dashboard lists their open tasks and their week beside the team's", async () => {
    await signIn(worker, workerEmail);
    const open = worker.getByRole('list', { name: 'My open tasks' });
    await revisitDashboardUntil(worker, open.getByRole('link', { name: 'Review request' }).nth(1), 'both review tasks');
    // Sorted by due date: the review is due a day after it was created, and not overdue yet.
    await expectVisible(open.getByRole('listitem').first().locator('time'));
    if ((await open.getByText('Overdue').count()) !== 0) throw new Error('a task due tomorrow is marked overdue');
    if (await worker.getByText(/no due dates yet/).isVisible()) throw new Error('the old no-due-dates note is shown');
    await open.getByRole('link', { name: 'Review request' }).first().click();
    await expectVisible(worker.getByText('Grace Hopper'));
    const form = worker.frameLocator('iframe[title="Review request form"]');
    await form.getByLabel(/^Approve this request/).check();
    await form.getByLabel('None', { exact: true }).check();
    await form.getByLabel(/^Comment/).fill('Welcome aboard');
    await worker.getByRole('button', { name: 'Complete task' }).click();
    await expectVisible(worker.getByRole('heading', { level: 2, name: 'Output' }));
    await worker.goto(BASE_URL);
    await expectVisible(worker.getByRole('heading', { level: 2, name: 'My performance' }));
    const done = worker.locator('div, a').filter({ hasText: /^1Done this week$/ });
    await expectVisible(done);
    // The open tasks load on their own: wait for the list before counting it.
    await expectVisible(open.getByRole('listitem').first());
    if ((await open.getByRole('listitem').count()) !== 1) throw new Error('the completed task is still listed as open');
    await expectVisible(worker.getByRole('figure', { name: 'Tasks completed per week' }).locator('.recharts-surface'));
    await shot(worker, 'insights-03-worker-dashboard');
  });

  await step("the admin's dashboard shows the company's week", async () => {
    await admin.goto(BASE_URL);
    const figures = admin.getByLabel('Team figures');
    await expectVisible(figures.getByText('Created this week'));
    // The first ticket closes once its actions have answered.
    await revisitDashboardUntil(
      admin,
      figures.locator('div').filter({ hasText: /^1Closed this week$/ }),
      'a closed ticket',
    );
    await expectVisible(figures.locator('a').filter({ hasText: /^1Open tickets$/ }));
    await expectVisible(figures.locator('div').filter({ hasText: /^2Created this week$/ }));
    await expectVisible(admin.getByRole('figure', { name: 'Open tasks per worker' }).locator('.recharts-surface'));
    if (await admin.getByRole('heading', { level: 2, name: 'First steps' }).isVisible())
      throw new Error('first steps still shown to a company with tickets');
    await shot(admin, 'insights-04-admin-dashboard');
  });

  await step('the reports page draws each report and exports a table as CSV', async () => {
    await admin.getByRole('link', { name: 'Reports →' }).click();
    await expectVisible(admin.getByRole('heading', { level: 1, name: 'Reports' }));
    await expectVisible(
      admin.getByRole('figure', { name: 'Tickets created and closed per day' }).locator('.recharts-surface'),
    );
    await expectVisible(
      admin.getByRole('table', { name: 'Time per task definition' }).getByRole('cell', { name: 'Review request' }),
    );
    await expectVisible(admin.getByRole('table', { name: 'Worker throughput' }).getByRole('cell', { name: /^Wendy/ }));
    await expectVisible(
      admin.getByRole('table', { name: 'Time to resolution by type' }).getByRole('cell', { name: 'IT onboarding' }),
    );
    await expectVisible(
      admin.getByRole('table', { name: 'Action failures by host' }).getByRole('cell', { name: '127.0.0.1' }),
    );
    const section = admin.locator('section').filter({ has: admin.getByRole('heading', { name: 'Worker throughput' }) });
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      section.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    if (!/^Worker,Completed,Median \(s\)\r\nWendy Example,1,\d/.test(csv)) throw new Error(`unexpected CSV: ${csv}`);
    if (!/^worker-throughput_\d{4}-\d\d-\d\d_\d{4}-\d\d-\d\d\.csv$/.test(download.suggestedFilename()))
      throw new Error(`unexpected file name ${download.suggestedFilename()}`);
    await shot(admin, 'insights-05-reports');
  });

  await step('the SLA tables count the tickets and tasks due in the range', async () => {
    // The reviews are due a day after submission and the tickets five days after: a range
    // from today over the next week holds them all, none breached yet.
    const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    await admin.goto(`${BASE_URL}/reports?from=${day(0)}&to=${day(7)}`);
    const tasks = admin.getByRole('table', { name: 'Task SLA breaches by task definition' });
    const review = tasks.getByRole('row').filter({ has: admin.getByRole('cell', { name: 'Review request' }) });
    await expectVisible(review);
    const reviewCells = await review.getByRole('cell').allInnerTexts();
    if (JSON.stringify(reviewCells) !== JSON.stringify(['Review request', 'review_request', '2', '0', '0', '0.0 %']))
      throw new Error(`unexpected task SLA row: ${JSON.stringify(reviewCells)}`);
    const tickets = admin.getByRole('table', { name: 'Ticket SLA breaches by type' });
    const onboarding = tickets.getByRole('row').filter({ has: admin.getByRole('cell', { name: 'IT onboarding' }) });
    await expectVisible(onboarding);
    const ticketCells = await onboarding.getByRole('cell').allInnerTexts();
    if (JSON.stringify(ticketCells) !== JSON.stringify(['IT onboarding', '2', '0', '0', '0.0 %']))
      throw new Error(`unexpected ticket SLA row: ${JSON.stringify(ticketCells)}`);
    await expectVisible(
      admin.getByRole('figure', { name: 'Task SLA breaches by task definition' }).locator('.recharts-surface'),
    );
    if (await admin.getByText(/no due dates yet/).isVisible()) throw new Error('the old no-due-dates note is shown');
    await admin.getByRole('heading', { name: 'Task SLA breaches' }).scrollIntoViewIfNeeded();
    await shot(admin, 'insights-09-sla');
  });

  await step('a range that ends before it starts shows the service’s problem', async () => {
    await admin.getByLabel('From', { exact: true }).fill('2026-03-10');
    await admin.getByLabel('To', { exact: true }).fill('2026-03-01');
    await admin.getByRole('button', { name: 'Apply' }).click();
    await expectVisible(admin.getByRole('alert').filter({ hasText: '`from` is after `to`.' }));
    await shot(admin, 'insights-06-reports-bad-range');
  });

  await step('the header search finds tickets and tasks by their words', async () => {
    const box = admin.getByRole('searchbox', { name: 'Search tickets and tasks' }).first();
    await box.fill('alan');
    await box.press('Enter');
    await expectVisible(admin.getByRole('heading', { level: 1, name: 'Search' }));
    const tickets = admin.getByRole('list', { name: 'Tickets' });
    const tasks = admin.getByRole('list', { name: 'Tasks' });
    await expectVisible(tickets.getByText('Onboarding for Alan'));
    await expectVisible(tasks.getByText(/Onboarding for Alan/));
    if ((await tickets.getByRole('listitem').count()) !== 1)
      throw new Error('the search found more than Alan’s ticket');
    await shot(admin, 'insights-07-search');
    // The requester's box searches only their own tickets.
    const theirs = requester.getByRole('searchbox', { name: 'Search tickets and tasks' }).first();
    await theirs.fill('grace');
    await theirs.press('Enter');
    await expectVisible(requester.getByRole('list', { name: 'My tickets' }).getByText('Onboarding for Grace'));
  });

  await step('the task list searches text', async () => {
    await worker.goto(`${BASE_URL}/tasks/mine`);
    await worker.getByRole('tab', { name: 'Done' }).click();
    await worker.getByRole('searchbox', { name: 'Search tasks' }).fill('grace');
    await worker.getByRole('button', { name: 'Search', exact: true }).click();
    await expectVisible(worker.getByRole('cell', { name: /Onboarding for Grace/ }));
    await worker.getByRole('searchbox', { name: 'Search tasks' }).fill('nobody-matches-this');
    await worker.getByRole('button', { name: 'Search', exact: true }).click();
    await expectVisible(worker.getByText('No tasks match'));
    await shot(worker, 'insights-08-task-search');
  });

  console.log(`insight flows: ${counter.passed} passed, 0 failed`);
} catch (error) {
  console.error(`not ok - ${error instanceof Error ? error.stack : String(error)}`);
  console.log(`insight flows: ${counter.passed} passed, 1 failed`);
  process.exitCode = 1;
  for (const [index, page] of pages.entries()) {
    await page
      .screenshot({ path: join(SHOTS, `insights-failure-${index}.png`), fullPage: true })
      .catch(() => undefined);
  }
} finally {
  await browser.close();
}
