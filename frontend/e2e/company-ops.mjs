// Definitions pages, the company page and the platform operator's console in the browser,
// through the gateway that serves the built SPA:
//
//   TF_BASE_URL=http://127.0.0.1:8000 TF_BUNDLE=bundle.yaml TF_OPERATOR_EMAIL=... TF_OPERATOR_PASSWORD=... \
//     node e2e/company-ops.mjs
//
// An admin publishes two versions of the sample bundle, opens a task definition from the Tasks
// list, compares the two versions of the workflow and of the ticket type, edits the company's
// details (a bad time zone is refused first); another company imports the exported bundle; the
// operator lists the companies, opens one, suspends it (its admin is signed out and refused)
// and reactivates it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchBrowser } from './browser.mjs';
import { flowKit, PASSWORD } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const BASE_URL = process.env.TF_BASE_URL;
const BUNDLE = process.env.TF_BUNDLE;
const OPERATOR_EMAIL = process.env.TF_OPERATOR_EMAIL;
const OPERATOR_PASSWORD = process.env.TF_OPERATOR_PASSWORD;
const SHOTS = resolve(process.env.TF_SCREENSHOTS ?? join(here, '..', '..', 'artifacts', 'screenshots'));
if (!BASE_URL || !BUNDLE || !OPERATOR_EMAIL || !OPERATOR_PASSWORD) {
  console.error('Set TF_BASE_URL, TF_BUNDLE, TF_OPERATOR_EMAIL and TF_OPERATOR_PASSWORD.');
  process.exit(2);
}
mkdirSync(SHOTS, { recursive: true });

const kit = flowKit(BASE_URL, SHOTS);
const { suffix, email, counter, step, shot, expectVisible, pages, newPage, signUp } = kit;

const V1 = readFileSync(BUNDLE, 'utf8');
// Version 2: a task renamed, a form field's title changed, a transition's condition narrowed,
// a department added to the ticket type's field.
const V2 = V1.replace('      name: Review request\n', '      name: Review the request\n')
  .replace('enum: [Engineering, Sales, Finance, Operations]', 'enum: [Engineering, Sales, Finance, Operations, Legal]')
  .replace('title: Comment', 'title: Reviewer comment')
  .replace('condition: approved = true\n', 'condition: approved = true and laptop != "none"\n');
if (V2 === V1) throw new Error('the sample bundle no longer has the lines this flow edits');

const browser = await launchBrowser();
const companyName = `Ops Co ${suffix}`;
const adminEmail = email('ops-admin');

async function publish(page, text, version) {
  await page.goto(`${BASE_URL}/definitions/upload`);
  await page.getByLabel('Bundle (YAML or JSON)').fill(text);
  await page.getByRole('button', { name: 'Publish' }).click();
  await expectVisible(page.getByText(`Published it_onboarding version ${version}.`));
}

try {
  const admin = await newPage(browser);

  await step('an admin publishes two versions of a workflow', async () => {
    await signUp(admin, companyName, adminEmail);
    await publish(admin, V1, 1);
    await publish(admin, V2, 2);
  });

  await step('a row of the Tasks list opens the task definition page', async () => {
    await admin.goto(`${BASE_URL}/definitions`);
    await admin.getByRole('tab', { name: 'Tasks' }).click();
    await admin.getByRole('link', { name: 'Review the request' }).click();
    await expectVisible(admin.getByRole('heading', { level: 1, name: 'Review the request' }));
    await expectVisible(admin.getByText('Leads to (tried in this order)'));
    await expectVisible(admin.getByRole('link', { name: 'create_account' }));
    await expectVisible(admin.getByText('Form (output schema)'));
    await shot(admin, 'company-ops-01-task-definition');
    await admin.getByLabel('Workflow version').selectOption('1');
    await expectVisible(admin.getByRole('heading', { level: 1, name: 'Review request' }));
  });

  await step('two versions of the workflow and of the ticket type are compared', async () => {
    await admin.goto(`${BASE_URL}/definitions/workflows/it_onboarding`);
    await admin.getByRole('tab', { name: 'Compare versions' }).click();
    const tasks = admin.getByRole('region', { name: 'Tasks' });
    await expectVisible(tasks.getByText('Review the request (review_request)'));
    await expectVisible(tasks.getByText('Reviewer comment'));
    const transitions = admin.getByRole('region', { name: 'Transitions' });
    await expectVisible(transitions.getByText('approved = true and laptop != "none"'));
    await shot(admin, 'company-ops-02-workflow-diff');
    await admin.getByLabel('From').selectOption('2');
    await expectVisible(admin.getByText('Pick two different versions.'));

    await admin.goto(`${BASE_URL}/definitions/ticket-types/it_onboarding`);
    await expectVisible(admin.getByRole('heading', { name: 'Compare versions' }));
    const fields = admin.getByRole('region', { name: 'Fields' });
    await expectVisible(fields.getByText('Department (department)'));
    await expectVisible(fields.getByText('Legal'));
    await fields.scrollIntoViewIfNeeded();
    await shot(admin, 'company-ops-02b-ticket-type-diff');
  });

  await step('the company page shows the company and refuses a bad time zone', async () => {
    await admin.goto(`${BASE_URL}/admin`);
    await admin
      .getByRole('link', { name: /^Company\b/ })
      .first()
      .click();
    await expectVisible(admin.getByRole('heading', { level: 1, name: companyName }));
    await expectVisible(admin.getByText('1 (1 active)'));
    await admin.getByLabel('Time zone').fill('Mars/Olympus_Mons');
    await admin.getByRole('button', { name: 'Save details' }).click();
    await expectVisible(admin.getByText(/IANA time zone, like Europe\/Berlin or UTC/).last());
    await shot(admin, 'company-ops-03-company-bad-input');
    await admin.getByLabel('Time zone').fill('Europe/Berlin');
    await admin.getByLabel('Contact email').fill('ops@example.com');
    await admin.getByRole('button', { name: 'Save details' }).click();
    await expectVisible(admin.getByText("The company's details have been saved."));
    await admin.reload();
    await expectVisible(admin.getByLabel('Time zone'));
    if ((await admin.getByLabel('Time zone').inputValue()) !== 'Europe/Berlin')
      throw new Error('the time zone was not saved');
    await shot(admin, 'company-ops-04-company-saved');
  });

  await step('another company imports the exported bundle as its own', async () => {
    const other = await newPage(browser);
    await signUp(other, `Importer ${suffix}`, email('importer'));
    const file = join(tmpdir(), `it_onboarding-${suffix}.yaml`);
    writeFileSync(file, V2);
    await other.goto(`${BASE_URL}/definitions`);
    await other.getByRole('link', { name: 'Import bundle' }).click();
    await expectVisible(other.getByRole('heading', { level: 1, name: 'Import bundle' }));
    await other.getByLabel('Bundle file').setInputFiles(file);
    await expectVisible(other.getByText('The bundle is valid.'));
    await other.getByRole('button', { name: 'Import' }).click();
    await expectVisible(other.getByText('Imported'));
    await expectVisible(other.getByRole('link', { name: 'Workflow it_onboarding' }));
    await shot(other, 'company-ops-05-import');
    await other.getByRole('link', { name: 'Workflow it_onboarding' }).click();
    await expectVisible(other.getByRole('heading', { level: 1, name: 'IT onboarding' }));
    await expectVisible(other.getByText('latest version 1', { exact: false }));
  });

  await step('the operator suspends the company: its admin is signed out and refused', async () => {
    const operator = await newPage(browser);
    await operator.goto(`${BASE_URL}/operator`);
    await expectVisible(operator.getByRole('heading', { level: 1, name: 'Operator sign-in' }));
    await operator.getByLabel('Email').fill(OPERATOR_EMAIL);
    await operator.getByLabel('Password').fill(OPERATOR_PASSWORD);
    await operator.getByRole('button', { name: 'Sign in' }).click();
    await expectVisible(operator.getByRole('heading', { level: 1, name: 'Companies' }));
    await operator.getByLabel('Search companies').fill(companyName);
    await operator.getByRole('button', { name: 'Search' }).click();
    await expectVisible(operator.getByRole('link', { name: companyName }));
    // Only the company searched for: the other one is filtered out.
    await operator.getByRole('link', { name: `Importer ${suffix}` }).waitFor({ state: 'hidden' });
    await shot(operator, 'company-ops-06-operator-companies');
    await operator.getByRole('link', { name: companyName }).click();
    await expectVisible(operator.getByRole('heading', { level: 1, name: companyName }));
    await expectVisible(operator.getByText('1 (1 active)'));
    await operator.getByRole('button', { name: 'Suspend…' }).click();
    await operator.getByRole('button', { name: `Yes, suspend ${companyName}` }).click();
    await expectVisible(operator.getByText('The company is suspended', { exact: false }));
    await shot(operator, 'company-ops-07-operator-suspended');

    // The admin's session ends: a reload finds no session to restore.
    await admin.reload();
    await expectVisible(admin.getByRole('heading', { level: 1, name: 'Sign in' }), 30_000);
    await admin.getByLabel('Email').fill(adminEmail);
    await admin.getByLabel(/^Password/).fill(PASSWORD);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await expectVisible(admin.getByText(/company's account is suspended/));
    await shot(admin, 'company-ops-08-suspended-sign-in');

    await operator.getByRole('button', { name: 'Reactivate' }).click();
    await expectVisible(operator.getByText('The company is active again', { exact: false }));
    await admin.getByRole('button', { name: 'Sign in' }).click();
    // Signed in, and back on the page the session ended on.
    await expectVisible(admin.getByRole('heading', { level: 1, name: companyName }));
  });

  console.log(`company-ops flows: ${counter.passed} passed, 0 failed`);
} catch (error) {
  console.error(`not ok - ${error instanceof Error ? error.stack : String(error)}`);
  console.log(`company-ops flows: ${counter.passed} passed, 1 failed`);
  process.exitCode = 1;
  for (const [index, page] of pages.entries()) {
    await page
      .screenshot({ path: join(SHOTS, `company-ops-failure-${index}.png`), fullPage: true })
      .catch(() => undefined);
  }
} finally {
  await browser.close();
}
