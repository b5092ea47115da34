// Due dates, the calendar and notifications in the browser, through the gateway:
//
//   TF_BASE_URL=http://127.0.0.1:8000 node e2e/due-notify.mjs
//
// A company publishes a workflow whose review task is due half a minute after it starts; a
// worker keeps the calendar open while a ticket arrives: the bell counts the new task and the
// calendar shows it upcoming, both without a reload; the task falls due and escalates: the
// calendar lists it overdue and the worker's notifications say so. The worker marks everything
// read and opts into email for overdue tasks; the admin sees the team's calendar.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchBrowser } from './browser.mjs';
import { flowKit, SLOW } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const BASE_URL = process.env.TF_BASE_URL;
const SHOTS = resolve(process.env.TF_SCREENSHOTS ?? join(here, '..', '..', 'artifacts', 'screenshots'));
if (!BASE_URL) {
  console.error('Set TF_BASE_URL (the gateway).');
  process.exit(2);
}
mkdirSync(SHOTS, { recursive: true });

const kit = flowKit(BASE_URL, SHOTS);
const { email, counter, step, shot, expectVisible, reloadUntil, pages, newPage, signUp, signIn, createUser } = kit;

const DUE_SECONDS = 30;
const BUNDLE = `workflow:
  key: quick_review
  name: Quick review
  start_task: review
  tasks:
    - key: review
      name: Review quickly
      task_type: FORM
      due_in: "$fromMillis($millis() + ${DUE_SECONDS * 1000})"
      escalation:
        notify: true
      output_schema:
        type: object
        properties:
          ok: { type: boolean, title: Looks fine }
ticket_types:
  - key: quick_review
    name: Quick review
    prefix: QR
    resolution_target: P2D
    fields:
      type: object
      properties:
        note: { type: string, title: Note }
    company_role_access: [user]
`;

const browser = await launchBrowser();
try {
  const admin = await newPage(browser);
  await step('a designer publishes a workflow whose task is due soon after it starts', async () => {
    await signUp(admin, `Due Co ${kit.suffix}`, email('admin'));
    await admin.goto(`${BASE_URL}/definitions/upload`);
    await admin.getByLabel('Bundle (YAML or JSON)').fill(BUNDLE);
    await admin.getByRole('button', { name: 'Publish' }).click();
    await expectVisible(admin.getByText('Published quick_review version 1.'));
  });

  const workerEmail = email('worker');
  await step('the admin adds a task worker', async () => {
    await createUser(admin, workerEmail, 'Wendy', 'Task worker');
  });

  const worker = await newPage(browser);
  await step('the worker opens the calendar: nothing is due yet', async () => {
    await signIn(worker, workerEmail);
    await worker.getByRole('link', { name: 'Calendar' }).first().click();
    await expectVisible(worker.getByRole('heading', { level: 1, name: 'Calendar' }));
    await expectVisible(worker.getByText('Nothing is late.'));
    const bell = worker.getByRole('link', { name: /^Notifications/ });
    await expectVisible(bell);
    if ((await bell.getAttribute('aria-label')) !== 'Notifications')
      throw new Error('the bell counts something already');
  });

  let ticketTitle = '';
  await step('the admin submits a ticket', async () => {
    await admin.goto(`${BASE_URL}/tickets/new`);
    await reloadUntil(admin, admin.getByLabel('Title'), 'the quick review form');
    ticketTitle = `Check the supplier ${kit.suffix}`;
    await admin.getByLabel('Title').fill(ticketTitle);
    await admin.getByRole('button', { name: 'Submit ticket' }).click();
    await admin.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
  });

  await step('the bell counts the new task without a reload', async () => {
    // The page stays as it was: the bell polls its summary (ETag, 304 while nothing changed).
    await expectVisible(worker.getByRole('link', { name: 'Notifications, 1 unread' }), SLOW);
    await shot(worker, 'due-notify-01-bell');
  });

  await step('the calendar shows the task upcoming, in month and agenda views', async () => {
    // The calendar fetches its range when shown; going to the next month and back asks again.
    const event = worker.locator('.fc-event', { hasText: 'Review quickly' });
    const deadline = Date.now() + SLOW;
    while (!(await event.first().isVisible())) {
      if (Date.now() > deadline) throw new Error('the task never showed in the calendar');
      await worker.getByTitle('Next month').click();
      await worker.getByTitle('Previous month').click();
    }
    await shot(worker, 'due-notify-02-calendar-month');
    await worker.getByRole('button', { name: 'Agenda', exact: true }).click();
    await expectVisible(worker.locator('.fc-list-event', { hasText: 'Review quickly' }));
    await shot(worker, 'due-notify-03-calendar-agenda');
    await worker.getByRole('button', { name: 'Week', exact: true }).click();
    await expectVisible(worker.locator('.fc-event', { hasText: 'Review quickly' }));
    await shot(worker, 'due-notify-04-calendar-week');
  });

  await step("an overdue task appears in the worker's notifications without a reload", async () => {
    await worker.getByRole('link', { name: /^Notifications/ }).click();
    await expectVisible(worker.getByRole('heading', { level: 1, name: 'Notifications' }));
    await expectVisible(worker.getByRole('link', { name: 'New task: Review quickly' }));
    // Due half a minute after the task started; the engine escalates, identity notifies, the
    // page hears of it through the bell's poll.
    await expectVisible(worker.getByRole('link', { name: 'Overdue: Review quickly' }), DUE_SECONDS * 1000 + SLOW);
    const overdue = worker.getByTestId('notification').filter({ hasText: 'Overdue: Review quickly' });
    if ((await overdue.getAttribute('data-read')) !== 'false') throw new Error('a new notification shows as read');
    await shot(worker, 'due-notify-05-notifications');
  });

  await step('an overdue task appears in the calendar', async () => {
    await worker.getByRole('link', { name: 'Calendar' }).first().click();
    const late = worker.getByTestId('overdue-list').getByRole('link', { name: 'Review quickly' });
    await expectVisible(late);
    await expectVisible(worker.getByRole('heading', { name: 'Overdue (1)' }));
    await shot(worker, 'due-notify-06-calendar-overdue');
  });

  await step('my tasks show the due time and sort by it', async () => {
    await worker.goto(`${BASE_URL}/tasks/mine`);
    await expectVisible(worker.getByRole('link', { name: 'Review quickly' }));
    await worker.getByLabel('Sort').selectOption('due_at');
    const row = worker.getByRole('row', { name: /Review quickly/ });
    await expectVisible(row.getByText('Overdue'));
    await shot(worker, 'due-notify-07-my-tasks');
  });

  await step('the worker marks everything read and opts into email for overdue tasks', async () => {
    await worker.getByRole('link', { name: /^Notifications/ }).click();
    await worker.getByRole('button', { name: 'Mark all read' }).click();
    await expectVisible(worker.locator('a[aria-label="Notifications"]'));
    const unread = await worker.locator('[data-testid="notification"][data-read="false"]').count();
    if (unread !== 0) throw new Error(`${unread} notifications still unread`);
    await worker.getByRole('checkbox', { name: 'A task is overdue: by email' }).check();
    await worker.getByRole('button', { name: 'Save settings' }).click();
    await expectVisible(worker.getByText('Saved.'));
    await worker.reload();
    const kept = await worker.getByRole('checkbox', { name: 'A task is overdue: by email' }).isChecked();
    if (!kept) throw new Error('the email choice was not kept');
    await shot(worker, 'due-notify-08-notifications-read');
  });

  await step("the admin sees the team's calendar and the escalation in their notifications", async () => {
    await admin.goto(`${BASE_URL}/calendar`);
    await expectVisible(admin.getByTestId('overdue-list').getByRole('link', { name: 'Review quickly' }));
    await admin.goto(`${BASE_URL}/notifications`);
    await expectVisible(admin.getByRole('link', { name: 'Overdue: Review quickly' }));
    await admin.goto(`${BASE_URL}/tickets`);
    await expectVisible(admin.getByRole('row', { name: new RegExp(ticketTitle) }));
    await shot(admin, 'due-notify-09-team-tickets');
  });
} catch (error) {
  console.error(`not ok - ${error.message}`);
  for (const [index, page] of pages.entries()) await shot(page, `due-notify-failure-${index}`).catch(() => {});
  console.log(`due-notify flows: ${counter.passed} passed, 1 failed`);
  await browser.close();
  process.exit(1);
}
await browser.close();
console.log(`due-notify flows: ${counter.passed} passed, 0 failed`);
