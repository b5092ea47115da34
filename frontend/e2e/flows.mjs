// Browser flows against the running system, through the gateway that serves the built SPA.
//
//   TF_BASE_URL=http://127.0.0.1:8000 TF_BUNDLE=/path/to/bundle.yaml node e2e/flows.mjs
//
// TF_BUNDLE is the sample IT onboarding bundle with its action URLs pointing at a receiver the
// caller runs; TF_SCREENSHOTS (default ../artifacts/screenshots) receives a picture of each
// main page. Prints one line per step and exits non-zero at the first failure.
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

const INVALID_BUNDLE = `workflow:
  key: broken
  name: Broken
  start_task: review
  tasks:
    - key: review
      name: Review
      task_type: FORM
      output_schema:
        type: nonsense
    - key: notify
      name: Notify
      task_type: SYNC_ACTION
  transitions:
    - from: review
      to: nowhere
      condition: approved = = true
ticket_types: []
`;

const browser = await launchBrowser();
try {
  const admin = await newPage(browser);
  const adminEmail = email('admin');
  let ticketUrl = '';

  await step('a company signs up', async () => {
    await signUp(admin, `Flower Co ${suffix}`, adminEmail);
    await shot(admin, '01-dashboard');
  });

  await step('the admin uploads the sample bundle and sees its graph', async () => {
    await admin.goto(`${BASE_URL}/definitions/upload`);
    await admin.getByLabel('Bundle (YAML or JSON)').fill(readFileSync(BUNDLE, 'utf8'));
    await admin.getByRole('button', { name: 'Publish' }).click();
    await expectVisible(admin.getByText('Published it_onboarding version 1.'));
    await admin.getByRole('link', { name: 'Open workflow it_onboarding' }).click();
    await expectVisible(admin.getByRole('heading', { level: 1, name: 'IT onboarding' }));
    await expectVisible(admin.locator('.react-flow__node').filter({ hasText: 'Review request' }));
    await shot(admin, '02-workflow-graph');
    await admin.goto(`${BASE_URL}/definitions`);
    await expectVisible(admin.getByRole('link', { name: 'IT onboarding' }));
    await shot(admin, '03-definitions');
  });

  await step('an invalid upload shows each problem at its place', async () => {
    await admin.goto(`${BASE_URL}/definitions/upload`);
    await admin.getByLabel('Bundle (YAML or JSON)').fill(INVALID_BUNDLE);
    await admin.getByRole('button', { name: 'Publish' }).click();
    await expectVisible(admin.getByText(/The bundle has \d+ problems?; nothing was saved\./));
    const problems = await admin.getByTestId('bundle-problem').allInnerTexts();
    if (problems.length < 2) throw new Error(`expected several problems, got ${JSON.stringify(problems)}`);
    const placed = admin.locator('[data-problem-path^="workflow.transitions[0]"]');
    await expectVisible(placed);
    // The problem sits right under the line of the bundle it concerns.
    const line = await placed.first().evaluate((row) => row.previousElementSibling?.textContent ?? '');
    if (!/to: nowhere|condition|from: review/.test(line)) throw new Error(`problem placed under "${line}"`);
    console.log(`   problems: ${problems.join(' | ')}`);
    await shot(admin, '04-invalid-upload');
  });

  const workerEmail = email('worker');
  const requesterEmail = email('requester');
  await step('the admin adds a task worker and a requester', async () => {
    await createUser(admin, workerEmail, 'Wendy', 'Task worker');
    await createUser(admin, requesterEmail, 'Rita', null);
  });

  const requester = await newPage(browser);
  await step('a user submits a ticket from the generated form', async () => {
    await signIn(requester, requesterEmail);
    await requester.goto(`${BASE_URL}/tickets/new`);
    // The ticket type reaches the tickets service through an event, a moment after publishing.
    await reloadUntil(requester, requester.getByLabel('Title'), 'the IT onboarding form');
    await requester.getByLabel('Title').fill('Laptop-free onboarding');
    await requester.getByLabel(/Employee name/).fill('Grace Hopper');
    await requester.getByLabel(/Start date/).fill('2030-01-06');
    await requester.getByLabel(/Department/).selectOption('Engineering');
    await shot(requester, '05-submit-ticket');
    await requester.getByRole('button', { name: 'Submit ticket' }).click();
    await requester.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    ticketUrl = requester.url();
    await expectVisible(requester.getByRole('heading', { level: 1, name: /^IT-\d+ · Laptop-free onboarding$/ }));
    await shot(requester, '06-ticket-submitted');
  });

  const worker = await newPage(browser);
  await step('the task worker completes the form task', async () => {
    await signIn(worker, workerEmail);
    await worker.goto(`${BASE_URL}/tasks/mine`);
    await expectVisible(worker.getByRole('switch', { name: 'Available for new tasks' }));
    await reloadUntil(worker, worker.getByRole('link', { name: 'Review request' }), 'the review task');
    await shot(worker, '07-my-tasks');
    await worker.getByRole('link', { name: 'Review request' }).first().click();
    await expectVisible(worker.getByRole('heading', { level: 2, name: 'Your answer' }));
    await expectVisible(worker.getByText('Grace Hopper'));
    // The review form is the sample's custom edit layout, drawn in its sandboxed frame.
    const form = worker.frameLocator('iframe[title="Review request form"]');
    await expectVisible(form.getByRole('heading', { name: 'Decision' }));
    await expectVisible(form.getByText('Grace Hopper'));
    await form.getByLabel(/^Approve this request/).check();
    await form.getByLabel('None', { exact: true }).check();
    await form.getByLabel(/^Comment/).fill('Welcome aboard');
    await shot(worker, '08-task-execution');
    await worker.getByRole('button', { name: 'Complete task' }).click();
    await expectVisible(worker.getByRole('heading', { level: 2, name: 'Output' }));
  });

  await step('the ticket reaches Completed', async () => {
    await requester.goto(ticketUrl);
    await expectVisible(requester.getByTestId('ticket-status').getByText('Completed'), SLOW);
    await expectVisible(requester.getByText(/Send welcome mail/));
    await shot(requester, '09-ticket-completed');
    await requester.goto(`${BASE_URL}/tickets/mine`);
    await expectVisible(requester.getByRole('cell', { name: 'Completed' }));
    await shot(requester, '10-my-tickets');
  });

  await step('the ticket team sees the ticket, its workflow path and the metrics', async () => {
    await admin.goto(`${BASE_URL}/tickets`);
    await admin.getByRole('tab', { name: 'Archive' }).click();
    await expectVisible(admin.getByRole('link', { name: /^IT-\d+$/ }));
    await shot(admin, '11-team-tickets');
    await admin.goto(ticketUrl);
    await admin.getByRole('link', { name: 'Open the workflow' }).click();
    await expectVisible(admin.getByRole('heading', { level: 1, name: /^Workflow of IT-\d+$/ }));
    await expectVisible(admin.locator('[data-state="visited"]').filter({ hasText: 'Send welcome mail' }));
    // The workflow's custom display layout lists the steps taken with their status.
    const overview = admin.frameLocator('iframe[title^="Workflow of IT-"]');
    await expectVisible(overview.getByRole('cell', { name: 'Send welcome mail' }));
    await expectVisible(overview.getByText('Grace Hopper'));
    await shot(admin, '12-workflow-instance');
    await admin.goto(`${BASE_URL}/tasks`);
    await admin.getByRole('tab', { name: 'Archive' }).click();
    await expectVisible(admin.getByRole('link', { name: 'Review request' }));
    await shot(admin, '13-team-tasks');
    await admin.goto(`${BASE_URL}/reports`);
    await expectVisible(admin.getByRole('table', { name: 'Worker throughput' }).getByRole('cell', { name: /^Wendy/ }));
    await shot(admin, '14-reports');
    await admin.goto(`${BASE_URL}/admin/integrations`);
    await expectVisible(admin.getByRole('heading', { level: 2, name: 'Ingest keys' }));
    await shot(admin, '15-integrations');
  });

  await step("another company's ticket address shows Not found", async () => {
    const outsider = await newPage(browser);
    await signUp(outsider, `Other Co ${suffix}`, email('other'));
    await outsider.goto(ticketUrl);
    await expectVisible(outsider.getByRole('heading', { level: 1, name: 'Not found' }));
    await shot(outsider, '16-other-company-not-found');
  });

  console.log(`browser flows: ${counter.passed} passed, 0 failed`);
} catch (error) {
  console.error(`not ok - ${error instanceof Error ? error.stack : String(error)}`);
  console.log(`browser flows: ${counter.passed} passed, 1 failed`);
  process.exitCode = 1;
  // What each browser showed when the step failed.
  for (const [index, page] of pages.entries()) {
    await page.screenshot({ path: join(SHOTS, `failure-${index}.png`), fullPage: true }).catch(() => undefined);
  }
} finally {
  await browser.close();
}
