// Browser flows of task assignment against the running system, through the gateway:
//
//   TF_BASE_URL=http://127.0.0.1:8000 node e2e/assignment.mjs
//
// An admin makes a group of workers and sends a task to it from the assignment rules page; a
// rule that is not complete, or a group key that is not one, is refused at its field; with the
// group's only member away the task waits, and the admin assigns it by hand from the Assign
// tasks view, which shows each worker's open tasks and availability; the task's page says why
// in a sentence and keeps the record of every assignment. TF_SCREENSHOTS (default
// ../artifacts/screenshots) receives assignment-*.png. One line per step; non-zero on failure.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchBrowser } from './browser.mjs';
import { flowKit } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const BASE_URL = process.env.TF_BASE_URL;
const SHOTS = resolve(process.env.TF_SCREENSHOTS ?? join(here, '..', '..', 'artifacts', 'screenshots'));

if (!BASE_URL) {
  console.error('Set TF_BASE_URL (the gateway).');
  process.exit(2);
}
mkdirSync(SHOTS, { recursive: true });

const { suffix, email, counter, step, shot, expectVisible, reloadUntil, pages, newPage, signUp, signIn, createUser } =
  flowKit(BASE_URL, SHOTS);

const BUNDLE = `workflow:
  key: purchases
  name: Purchase approval
  start_task: approve
  tasks:
    - key: approve
      name: Approve purchase
      task_type: FORM
      output_schema:
        type: object
        properties:
          approved: { type: boolean, title: Approved }
    - key: order
      name: Place order
      task_type: FORM
      output_schema: { type: object }
  transitions:
    - from: approve
      to: order
ticket_types:
  - key: purchase
    name: Purchase request
    prefix: PO
    fields:
      type: object
      properties:
        item: { type: string, title: Item, maxLength: 200 }
    company_role_access: [user]
`;

const browser = await launchBrowser();
try {
  const admin = await newPage(browser);
  const wendyEmail = email('wendy');
  const waltEmail = email('walt');

  await step('an admin sets up a workflow and two task workers', async () => {
    await signUp(admin, `Assign Co ${suffix}`, email('admin'));
    await admin.goto(`${BASE_URL}/definitions/upload`);
    await admin.getByLabel('Bundle (YAML or JSON)').fill(BUNDLE);
    await admin.getByRole('button', { name: 'Publish' }).click();
    await expectVisible(admin.getByText('Published purchases version 1.'));
    await createUser(admin, wendyEmail, 'Wendy', 'Task worker');
    await createUser(admin, waltEmail, 'Walt', 'Task worker');
  });

  await step('the rules page refuses a rule without its group and a group key that is not one', async () => {
    await admin.goto(`${BASE_URL}/admin/assignment`);
    await expectVisible(admin.getByRole('heading', { level: 1, name: 'Assignment rules' }));
    // The workflow and the workers reach the engine through events, a moment after they are made.
    await reloadUntil(admin, admin.getByRole('checkbox', { name: /^Walt Example/ }), 'the workers on the roster');
    await reloadUntil(admin, admin.getByRole('listitem', { name: 'Purchase approval · Approve purchase' }), 'the task');
    await expectVisible(admin.getByTestId('company-rule').getByText('shortest queue'));
    const company = admin.getByRole('form', { name: 'Company rule' });
    await company.getByLabel('Strategy').selectOption('group');
    await company.getByRole('button', { name: 'Save rule' }).click();
    await expectVisible(company.getByText('Choose a group.'));
    const form = admin.getByRole('form', { name: 'New group' });
    await form.getByLabel(/^Name/).fill('Approvers');
    await form.getByLabel(/^Key/).fill('Not A Key');
    await form.getByRole('checkbox', { name: /^Wendy Example/ }).check();
    await form.getByRole('button', { name: 'Create group' }).click();
    await expectVisible(form.getByText('Start with a lower-case letter; then lower-case letters, digits, - or _.'));
    await shot(admin, 'assignment-01-refused');
  });

  await step('an admin makes a group and sends one task definition to it', async () => {
    const form = admin.getByRole('form', { name: 'New group' });
    await form.getByLabel(/^Key/).fill('approvers');
    await form.getByRole('button', { name: 'Create group' }).click();
    await expectVisible(admin.getByRole('listitem', { name: 'Group Approvers' }));
    // The engine refuses a key that is taken; the form says so and keeps what was typed.
    await form.getByLabel(/^Name/).fill('Approvers again');
    await form.getByLabel(/^Key/).fill('approvers');
    await form.getByRole('button', { name: 'Create group' }).click();
    await expectVisible(form.getByText("A group 'approvers' exists already."));
    await form.getByLabel(/^Name/).fill('');
    await form.getByLabel(/^Key/).fill('');
    const row = admin.getByRole('listitem', { name: 'Purchase approval · Approve purchase' });
    await row.getByRole('button', { name: /^Set a rule for/ }).click();
    const editor = row.getByRole('form', { name: /rule$/ });
    await editor.getByLabel('Strategy').selectOption('group');
    await editor.getByLabel('Group').selectOption('approvers');
    await editor.getByRole('button', { name: 'Save rule for this task' }).click();
    await expectVisible(row.getByText('group Approvers, then shortest queue'));
    await expectVisible(row.getByText('Rule for this task'));
    const other = admin.getByRole('listitem', { name: 'Purchase approval · Place order' });
    await expectVisible(other.getByText('shortest queue'));
    await shot(admin, 'assignment-02-rules');
  });

  const wendy = await newPage(browser);
  await step("with the group's only member away, a new task waits in the queue", async () => {
    await signIn(wendy, wendyEmail);
    await wendy.goto(`${BASE_URL}/tasks/mine`);
    const toggle = wendy.getByRole('switch', { name: 'Available for new tasks' });
    await expectVisible(toggle);
    await toggle.click();
    await expectVisible(wendy.getByRole('switch', { name: 'Available for new tasks', checked: false }));
    await admin.goto(`${BASE_URL}/tickets/new`);
    await reloadUntil(admin, admin.getByLabel('Title'), 'the purchase form');
    await admin.getByLabel('Title').fill('New monitor');
    await admin.getByLabel(/^Item/).fill('27" monitor');
    await admin.getByRole('button', { name: 'Submit ticket' }).click();
    await admin.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    await admin.goto(`${BASE_URL}/tasks/queue`);
    await reloadUntil(admin, admin.getByRole('row', { name: /Approve purchase/ }), 'the waiting task');
    const row = admin.getByRole('row', { name: /Approve purchase/ });
    await expectVisible(row.getByText('nobody yet'));
    await expectVisible(row.getByText('group Approvers, then shortest queue'));
    const workers = admin.getByRole('list', { name: 'Workers' });
    await expectVisible(workers.getByRole('listitem').filter({ hasText: 'Wendy Example' }).getByText('away'));
    await expectVisible(workers.getByRole('listitem').filter({ hasText: 'Walt Example' }).getByText('available'));
    await shot(admin, 'assignment-03-queue');
  });

  await step('an admin assigns the waiting task by hand, saying why', async () => {
    const row = admin.getByRole('row', { name: /Approve purchase/ });
    await row.getByLabel('Worker').selectOption({ label: 'Walt Example — 0 open, available' });
    await row.getByLabel('Why (optional)').fill('Wendy is out today');
    await row.getByRole('button', { name: 'Assign' }).click();
    await expectVisible(admin.getByText(/Approve purchase \(PO-\d+\) was assigned\./));
    // Assigned but not started, it is in Walt's queue now.
    await expectVisible(admin.getByRole('row', { name: /Approve purchase/ }).getByText('in Walt Example’s queue'));
    await expectVisible(
      admin
        .getByRole('list', { name: 'Workers' })
        .getByRole('listitem')
        .filter({ hasText: 'Walt Example' })
        .getByText('1 open'),
    );
    await shot(admin, 'assignment-04-assigned');
    await admin.getByLabel('Show').selectOption('unassigned');
    await expectVisible(admin.getByText('Nothing is waiting'));
  });

  await step('the task says why in a sentence and keeps the record', async () => {
    await admin.getByLabel('Show').selectOption('queued');
    await expectVisible(admin.getByRole('link', { name: 'Approve purchase' }));
    await admin.getByRole('link', { name: 'Approve purchase' }).first().click();
    await expectVisible(admin.getByRole('heading', { level: 2, name: 'Why this assignee' }));
    await expectVisible(
      admin.getByTestId('assignment-explanation').getByText('assigned by hand by Ada Admin: Wendy is out today'),
    );
    const record = admin.getByRole('list', { name: 'Assignments' });
    await expectVisible(record.getByText('By Ada Admin'));
    await shot(admin, 'assignment-05-task-why');
  });

  await step("a member back at work receives the group's next task by the rule", async () => {
    await wendy.getByRole('switch', { name: 'Available for new tasks' }).click();
    await expectVisible(wendy.getByRole('switch', { name: 'Available for new tasks', checked: true }));
    await admin.goto(`${BASE_URL}/tickets/new`);
    await reloadUntil(admin, admin.getByLabel('Title'), 'the purchase form');
    await admin.getByLabel('Title').fill('Standing desk');
    await admin.getByLabel(/^Item/).fill('Desk');
    await admin.getByRole('button', { name: 'Submit ticket' }).click();
    await admin.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    await wendy.goto(`${BASE_URL}/tasks/mine`);
    await reloadUntil(wendy, wendy.getByRole('link', { name: 'Approve purchase' }), 'Wendy’s task');
    await wendy.getByRole('link', { name: 'Approve purchase' }).first().click();
    await expectVisible(
      wendy.getByTestId('assignment-explanation').getByText('in group Approvers: fewest open tasks (0)'),
    );
    await expectVisible(wendy.getByRole('list', { name: 'Assignments' }).getByText('By the group rule'));
    await shot(wendy, 'assignment-06-by-rule');
  });

  console.log(`assignment flows: ${counter.passed} passed, 0 failed`);
} catch (error) {
  console.error(`not ok - ${error instanceof Error ? error.stack : String(error)}`);
  console.log(`assignment flows: ${counter.passed} passed, 1 failed`);
  process.exitCode = 1;
  for (const [index, page] of pages.entries()) {
    await page
      .screenshot({ path: join(SHOTS, `assignment-failure-${index}.png`), fullPage: true })
      .catch(() => undefined);
  }
} finally {
  await browser.close();
}
