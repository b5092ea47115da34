// Browser checks of the app's rough edges, against the running system through the gateway:
//
//   TF_BASE_URL=http://127.0.0.1:8000 TF_BUNDLE=../services/definitions/samples/it_onboarding.yaml node e2e/polish.mjs
//
// An anonymous visit logs nothing to the console; a malformed ticket id and an unknown address
// say Not found inside the app's shell; the workflow graph has an arrowhead per edge, readable
// labels, none of them under a task; an invalid bundle's preview lists its problems and draws
// what parses; the menu button opens the menu below desktop width. Screenshots go to
// TF_SCREENSHOTS as polish-*.png.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchBrowser } from './browser.mjs';
import { flowKit } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const BASE_URL = process.env.TF_BASE_URL;
const BUNDLE = process.env.TF_BUNDLE;
const SHOTS = resolve(process.env.TF_SCREENSHOTS ?? join(here, '..', '..', 'artifacts', 'screenshots'));

if (!BASE_URL || !BUNDLE) {
  console.error('Set TF_BASE_URL (the gateway) and TF_BUNDLE (a bundle to publish).');
  process.exit(2);
}
mkdirSync(SHOTS, { recursive: true });

const { suffix, email, counter, step, shot, expectVisible, pages, newPage, signUp } = flowKit(BASE_URL, SHOTS);

const BROKEN_BUNDLE = `workflow:
  key: broken
  name: Broken
  start_task: review
  tasks:
    - key: review
      name: Review
      task_type: FORM
    - name: No key here
      task_type: FORM
    - key: notify
      name: Notify
      task_type: SYNC_ACTION
  transitions:
    - from: review
      to: notify
      condition: approved = true
    - from: review
      to: nowhere
ticket_types: []
`;

/** Console errors and failed requests of a page, from now on. */
function watch(page) {
  const seen = { errors: [], failed: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) seen.failed.push(`${response.status()} ${response.url()}`);
  });
  return seen;
}

/** Every edge of the graph on the page: whether its marker exists, and where its label is. */
async function graphFacts(page) {
  return page.evaluate(() => {
    const viewport = document.querySelector('.react-flow__viewport');
    const scale = viewport ? new DOMMatrixReadOnly(getComputedStyle(viewport).transform).a : 1;
    const edges = [...document.querySelectorAll('.react-flow__edge')].map((edge) => {
      const path = edge.querySelector('path.react-flow__edge-path');
      const ref = path?.getAttribute('marker-end') ?? '';
      const id = /url\(['"]?#([^'")]+)['"]?\)/.exec(ref)?.[1] ?? '';
      const marker = id ? document.getElementById(id) : null;
      return { id: edge.getAttribute('data-id'), marker: marker?.tagName.toLowerCase() ?? null };
    });
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, height: r.height };
    };
    const nodes = [...document.querySelectorAll('.react-flow__node')].map(box);
    const labels = [...document.querySelectorAll('[data-testid="graph-edge-label"]')].map((el) => ({
      text: el.textContent,
      box: box(el),
      px: parseFloat(getComputedStyle(el).fontSize) * scale,
    }));
    return { scale, edges, nodes, labels };
  });
}

const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

const browser = await launchBrowser();
try {
  await step('an anonymous visit logs no console error and asks for no refresh', async () => {
    const page = await newPage(browser);
    const seen = watch(page);
    await page.goto(`${BASE_URL}/tickets/mine`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Sign in' }));
    await page.goto(`${BASE_URL}/login`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Sign in' }));
    await page.waitForTimeout(1_000);
    if (seen.errors.length > 0) throw new Error(`console errors: ${JSON.stringify(seen.errors)}`);
    if (seen.failed.length > 0) throw new Error(`failed requests: ${JSON.stringify(seen.failed)}`);
    await shot(page, 'polish-01-anonymous-login');
  });

  const admin = await newPage(browser);
  const seen = watch(admin);
  await step('a company signs up, and a reload restores its session', async () => {
    await signUp(admin, `Polish Co ${suffix}`, email('admin'));
    await admin.reload();
    await expectVisible(admin.getByRole('heading', { level: 1, name: 'Welcome, Ada' }));
  });

  await step('a malformed ticket id shows Not found inside the app shell', async () => {
    await admin.goto(`${BASE_URL}/tickets/not-a-ticket`);
    await expectVisible(admin.getByRole('heading', { level: 1, name: 'Not found' }));
    await expectVisible(admin.getByRole('navigation', { name: 'Main' }));
    if (await admin.getByText(/request is not valid/i).count()) throw new Error('"The request is not valid" shown');
    await shot(admin, 'polish-02-malformed-ticket-id');
    await admin.goto(`${BASE_URL}/no/such/page`);
    await expectVisible(admin.getByRole('heading', { level: 1, name: 'Page not found' }));
    await expectVisible(admin.getByRole('navigation', { name: 'Main' }));
    await shot(admin, 'polish-03-unknown-address');
  });

  await step('the workflow graph has an arrowhead per edge and readable labels off every task', async () => {
    await admin.goto(`${BASE_URL}/definitions/upload`);
    await admin.getByLabel('Bundle (YAML or JSON)').fill(readFileSync(BUNDLE, 'utf8'));
    await admin.getByRole('button', { name: 'Publish' }).click();
    await expectVisible(admin.getByText(/^Published \S+ version 1\.$/));
    await admin.getByRole('link', { name: /^Open workflow / }).click();
    // The upload page previews a graph too: wait for the workflow's own page.
    await admin.waitForURL(/\/definitions\/workflows\//);
    await expectVisible(admin.getByRole('tab', { name: 'Graph' }));
    await expectVisible(admin.locator('.react-flow__edge').first());
    const facts = await graphFacts(admin);
    if (facts.edges.length < 3) throw new Error(`only ${facts.edges.length} edges drawn`);
    const bare = facts.edges.filter((edge) => edge.marker !== 'marker');
    if (bare.length > 0) throw new Error(`edges without an arrowhead: ${JSON.stringify(bare)}`);
    if (facts.labels.length !== facts.edges.length) {
      throw new Error(`${facts.labels.length} labels for ${facts.edges.length} edges`);
    }
    const small = facts.labels.filter((label) => label.px < 12);
    if (small.length > 0) throw new Error(`labels under 12 px: ${JSON.stringify(small)}`);
    const covered = facts.labels.filter((label) => facts.nodes.some((node) => overlaps(label.box, node)));
    if (covered.length > 0) throw new Error(`labels under a task: ${JSON.stringify(covered.map((l) => l.text))}`);
    console.log(`   ${facts.edges.length} edges, ${facts.edges.length} arrowheads, zoom ${facts.scale.toFixed(2)}`);
    await expectVisible(admin.locator('.react-flow__edge').first());
    await shot(admin, 'polish-04-workflow-graph');
    // Archive asks first, and its button is not a solid red one.
    await admin.getByRole('button', { name: 'Archive' }).click();
    await expectVisible(admin.getByRole('button', { name: 'Yes, archive' }));
    await shot(admin, 'polish-05-archive-confirm');
    await admin.getByRole('button', { name: 'Cancel' }).click();
  });

  await step("an invalid bundle's preview lists its problems and draws what parses", async () => {
    await admin.goto(`${BASE_URL}/definitions/upload`);
    await admin.getByLabel('Bundle (YAML or JSON)').fill(BROKEN_BUNDLE);
    const problems = admin.getByTestId('graph-problems');
    await expectVisible(problems);
    for (const text of ['has no key', '"nowhere" is not a task']) {
      if (!(await problems.getByText(text, { exact: false }).count())) throw new Error(`no problem saying ${text}`);
    }
    await expectVisible(admin.locator('.react-flow__node').first());
    const facts = await graphFacts(admin);
    if (facts.nodes.length !== 4) throw new Error(`expected 4 tasks drawn (one missing), got ${facts.nodes.length}`);
    const giant = facts.nodes.filter((node) => node.height > 100);
    if (giant.length > 0) throw new Error(`tasks drawn oversized: ${JSON.stringify(giant)}`);
    await shot(admin, 'polish-06-invalid-bundle-preview');
    // A syntax error is said once, in the editor's words, without the parser's stream name.
    await admin.getByLabel('Bundle (YAML or JSON)').fill(`${BROKEN_BUNDLE}  bad: [unclosed\n`);
    await admin.getByRole('button', { name: 'Validate' }).click();
    await expectVisible(admin.getByText(/The bundle does not parse/).first());
    const body = await admin.locator('main').innerText();
    if (body.includes('<unicode string>')) throw new Error('the parser stream name is shown');
    const said = (body.match(/The bundle does not parse; nothing was saved/g) ?? []).length;
    if (said !== 1) throw new Error(`the syntax error is said ${said} times`);
    if (await admin.getByText('Syntax', { exact: true }).count()) throw new Error('the syntax note is shown as well');
    await shot(admin, 'polish-07-yaml-error');
  });

  await step('the menu button opens the menu below desktop width; desktop shows the navigation', async () => {
    const menu = admin.getByRole('button', { name: 'Menu' });
    if (await menu.isVisible()) throw new Error('the Menu button shows at desktop width');
    await expectVisible(admin.getByRole('navigation', { name: 'Main', exact: true }));
    await admin.setViewportSize({ width: 1024, height: 900 });
    await menu.click();
    await expectVisible(admin.getByRole('navigation', { name: 'Main (menu)' }));
    await shot(admin, 'polish-08-menu-open');
    await admin.getByRole('navigation', { name: 'Main (menu)' }).getByRole('link', { name: 'Dashboard' }).click();
    await expectVisible(admin.getByRole('heading', { level: 1, name: 'Welcome, Ada' }));
    if (await admin.getByRole('navigation', { name: 'Main (menu)' }).isVisible()) throw new Error('menu stays open');
    await admin.setViewportSize({ width: 1280, height: 900 });
  });

  await step('the signed-in pages logged no console error', async () => {
    // The malformed id's own 404 is the one failed request the browser may log.
    const errors = seen.errors.filter((text) => !text.includes('404'));
    if (errors.length > 0) throw new Error(`console errors: ${JSON.stringify(errors)}`);
  });

  console.log(`polish flows: ${counter.passed} passed, 0 failed`);
} catch (error) {
  console.error(`not ok - ${error instanceof Error ? error.stack : String(error)}`);
  console.log(`polish flows: ${counter.passed} passed, 1 failed`);
  process.exitCode = 1;
  for (const [index, page] of pages.entries()) {
    await page.screenshot({ path: join(SHOTS, `polish-failure-${index}.png`), fullPage: true }).catch(() => undefined);
  }
} finally {
  await browser.close();
}
