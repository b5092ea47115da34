// Outcomes and people's names in the browser, against the running system through the gateway.
//
//   TF_BASE_URL=http://127.0.0.1:8000 TF_BUNDLE=/path/to/bundle.yaml node e2e/outcomes-people.mjs
//
// A requester submits an IT onboarding ticket, the reviewer rejects it with a comment, and the
// requester sees the outcome "Rejected" with the reviewer's comment on the ticket and in My
// tickets, where the outcome filter narrows the list. Every page names people (submitter,
// assignee, who did what in the history), never ids, and shows times in words, never raw ISO.
// Screenshots: TF_SCREENSHOTS/outcomes-people-*.png.
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

const COMMENT = 'No budget for new hires this quarter';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const RAW_ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** The page's text for people holds no user id and no raw ISO timestamp. Raw data views
 * (JSON blocks, expandable data) show data as stored, and are left out. */
async function expectNoIdsOrIsoTimes(page, where) {
  const text = await page.locator('main').evaluate((main) => {
    const copy = main.cloneNode(true);
    for (const raw of copy.querySelectorAll('pre, details, iframe')) raw.remove();
    document.body.appendChild(copy);
    const shown = copy.innerText;
    copy.remove();
    return shown;
  });
  const id = text.match(UUID);
  if (id) throw new Error(`${where} shows an id: ${id[0]}`);
  const iso = text.match(RAW_ISO);
  if (iso) throw new Error(`${where} shows a raw ISO time: ${iso[0]}`);
}

async function shotAs(page, name) {
  await shot(page, `outcomes-people-${name}`);
}

const browser = await launchBrowser();
try {
  const admin = await newPage(browser);
  const adminEmail = email('admin');
  const workerEmail = email('worker');
  const requesterEmail = email('requester');
  let ticketUrl = '';

  await step('a company publishes the sample bundle and adds a reviewer and a requester', async () => {
    await signUp(admin, `Outcome Co ${suffix}`, adminEmail);
    await admin.goto(`${BASE_URL}/definitions/upload`);
    await admin.getByLabel('Bundle (YAML or JSON)').fill(readFileSync(BUNDLE, 'utf8'));
    await admin.getByRole('button', { name: 'Publish' }).click();
    await expectVisible(admin.getByText('Published it_onboarding version 1.'));
    await createUser(admin, workerEmail, 'Wendy', 'Task worker');
    await createUser(admin, requesterEmail, 'Rita', null);
  });

  const requester = await newPage(browser);
  await step('a ticket submitted in the app names its submitter', async () => {
    await signIn(requester, requesterEmail);
    await requester.goto(`${BASE_URL}/tickets/new`);
    await reloadUntil(requester, requester.getByLabel('Title'), 'the IT onboarding form');
    await requester.getByLabel('Title').fill('Onboarding for Alan Turing');
    await requester.getByLabel(/Employee name/).fill('Alan Turing');
    await requester.getByLabel(/Start date/).fill('2030-02-03');
    await requester.getByLabel(/Department/).selectOption('Finance');
    await requester.getByRole('button', { name: 'Submit ticket' }).click();
    await requester.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    ticketUrl = requester.url();
    // The name arrives with identity's event; a moment at most after the user was created.
    await reloadUntil(
      requester,
      requester.getByTestId('ticket-submitter').getByText('Rita Example', { exact: true }),
      "the submitter's name",
    );
    const submitter = await requester.getByTestId('ticket-submitter').innerText();
    if (/\bapi\b/i.test(submitter)) throw new Error(`submitter shown as "${submitter}"`);
    await shotAs(requester, '01-ticket-submitted');
  });

  const worker = await newPage(browser);
  await step('the reviewer sees who the task is assigned to and rejects it with a comment', async () => {
    await signIn(worker, workerEmail);
    await worker.goto(`${BASE_URL}/tasks/mine`);
    await reloadUntil(worker, worker.getByRole('link', { name: 'Review request' }), 'the review task');
    await worker.getByRole('link', { name: 'Review request' }).first().click();
    await expectVisible(worker.getByRole('heading', { level: 2, name: 'Your answer' }));
    await expectVisible(worker.getByTestId('task-assignee').getByText('Wendy Example (you)'));
    const form = worker.frameLocator('iframe[title="Review request form"]');
    await expectVisible(form.getByRole('heading', { name: 'Decision' }));
    // The request's start date is shown as a date, not as the ISO text it is stored as.
    await expectVisible(form.getByText('Feb 3, 2030'));
    // Unticked is "not approved", said explicitly: the form requires an answer.
    await form.getByLabel(/^Approve this request/).check();
    await form.getByLabel(/^Approve this request/).uncheck();
    await expectVisible(form.getByText('Say why in the comment.'));
    await form.getByLabel('None', { exact: true }).check();
    await form.getByLabel(/^Comment/).fill(COMMENT);
    await worker.getByRole('button', { name: 'Complete task' }).click();
    await expectVisible(worker.getByRole('heading', { level: 2, name: 'Output' }));
    await expectVisible(worker.getByTestId('history-actor').getByText('by Wendy Example'));
    await expectNoIdsOrIsoTimes(worker, 'the task page');
    await shotAs(worker, '02-task-rejected');
  });

  await step("the requester sees the outcome Rejected with the reviewer's comment on the ticket", async () => {
    await requester.goto(ticketUrl);
    await expectVisible(requester.getByTestId('ticket-status').getByText('Completed'), SLOW);
    const panel = requester.getByTestId('ticket-outcome-panel');
    await reloadUntil(requester, panel, 'the outcome panel');
    await expectVisible(panel.getByTestId('ticket-outcome').getByText('Rejected'));
    await expectVisible(panel.getByText(`Rejected by the reviewer: ${COMMENT}`));
    await expectVisible(requester.getByText('Assigned to Wendy Example'));
    await expectVisible(requester.getByText(/ago|now/).first());
    await expectNoIdsOrIsoTimes(requester, 'the ticket page');
    await shotAs(requester, '03-ticket-rejected');
  });

  await step('My tickets shows the outcome and filters by it', async () => {
    await requester.goto(`${BASE_URL}/tickets/mine`);
    const row = requester.getByRole('row').filter({ hasText: 'Onboarding for Alan Turing' });
    await expectVisible(row.getByTestId('ticket-outcome').getByText('Rejected'));
    await expectVisible(row.getByText(`Rejected by the reviewer: ${COMMENT}`));
    await shotAs(requester, '04-my-tickets');
    const filter = requester.getByLabel('Outcome');
    // Options of a native select are never "visible": wait for the one the outcomes list adds.
    await requester.waitForFunction(
      () =>
        [...document.querySelectorAll('select[name="outcome"] option')].some((o) => o.textContent === 'Rejected (1)'),
      null,
      { timeout: SLOW },
    );
    await filter.selectOption('rejected');
    await expectVisible(requester.getByRole('row').filter({ hasText: 'Onboarding for Alan Turing' }));
    await expectNoIdsOrIsoTimes(requester, 'My tickets');
    await shotAs(requester, '05-my-tickets-filtered');
  });

  await step('the ticket team sees names, the outcome filter and a history by name', async () => {
    await admin.goto(`${BASE_URL}/tickets`);
    await admin.getByRole('tab', { name: 'Archive' }).click();
    await admin.getByLabel('Outcome').selectOption('rejected');
    const row = admin.getByRole('row').filter({ hasText: 'Onboarding for Alan Turing' });
    await expectVisible(row.getByText('Rita Example'));
    await expectVisible(row.getByTestId('ticket-outcome').getByText('Rejected'));
    await expectNoIdsOrIsoTimes(admin, 'the team tickets');
    await shotAs(admin, '06-team-tickets-rejected');
    await admin.goto(ticketUrl);
    await admin.getByRole('link', { name: 'Open the workflow' }).click();
    await expectVisible(admin.getByRole('heading', { level: 1, name: /^Workflow of IT-\d+$/ }));
    await expectVisible(admin.getByTestId('history-actor').getByText('by Rita Example').first());
    await expectVisible(admin.getByTestId('history-actor').getByText('by Wendy Example').first());
    await expectVisible(admin.getByTestId('ticket-outcome-panel').getByText(`Rejected by the reviewer: ${COMMENT}`));
    // The graph marks the end the workflow reached with its outcome.
    await expectVisible(admin.getByTestId('graph-edge-label').getByText('otherwise → Rejected'));
    // The workflow's custom overview draws in its frame: wait for it before the picture.
    const overview = admin.frameLocator('iframe[title^="Workflow of IT-"]');
    await expectVisible(overview.getByRole('cell', { name: 'Notify requester' }));
    await shotAs(admin, '07-workflow-history');
  });

  console.log(`outcome and people flows: ${counter.passed} passed, 0 failed`);
} catch (error) {
  console.error(`not ok - ${error instanceof Error ? error.stack : String(error)}`);
  console.log(`outcome and people flows: ${counter.passed} passed, 1 failed`);
  process.exitCode = 1;
  for (const [index, page] of pages.entries()) {
    await page
      .screenshot({ path: join(SHOTS, `outcomes-people-failure-${index}.png`), fullPage: true })
      .catch(() => undefined);
  }
} finally {
  await browser.close();
}
