import { describe, expect, it } from 'vitest';

import {
  CHANNEL,
  MAX_FRAME_HEIGHT,
  newNonce,
  plainJsonObject,
  readFrameMessage,
  sandboxDocument,
  sandboxPolicy,
} from '@/components/custom-layout/bridge';
import { compileLayout } from '@/components/custom-layout/compile';
import { componentLayout } from '@/components/custom-layout/layout-kind';
import { checkValue, fieldErrorsFrom } from '@/components/custom-layout/validate';

const frame = { name: 'the layout frame window' };
const other = { name: 'some other window' };
const NONCE = 'n-1';

function from(source: unknown, data: unknown) {
  return readFrameMessage({ source: source as MessageEventSource, data }, frame, NONCE);
}

describe('readFrameMessage', () => {
  it('accepts the frame’s own messages for this render', () => {
    expect(from(frame, { channel: CHANNEL, type: 'ready' })).toEqual({ type: 'ready' });
    expect(from(frame, { channel: CHANNEL, type: 'change', nonce: NONCE, value: { laptop: 'none' } })).toEqual({
      type: 'change',
      nonce: NONCE,
      value: { laptop: 'none' },
    });
  });

  it('ignores other windows, other channels, other renders and unknown types', () => {
    const change = { channel: CHANNEL, type: 'change', nonce: NONCE, value: { a: 1 } };
    expect(from(other, change)).toBeNull();
    expect(from(null, change)).toBeNull();
    expect(readFrameMessage({ source: frame as unknown as MessageEventSource, data: change }, null, NONCE)).toBeNull();
    expect(from(frame, { ...change, channel: 'devtools' })).toBeNull();
    expect(from(frame, { ...change, nonce: 'stale' })).toBeNull();
    expect(from(frame, { channel: CHANNEL, type: 'navigate', nonce: NONCE, url: '/admin' })).toBeNull();
    expect(from(frame, 'change')).toBeNull();
    // Only the app's own button submits: a layout cannot send the form by itself.
    expect(from(frame, { channel: CHANNEL, type: 'submit', nonce: NONCE, value: { a: 1 } })).toBeNull();
  });

  it('copies the value as plain JSON and refuses what is not an object', () => {
    const value = { when: new Date(Date.UTC(2030, 0, 6)), nested: { list: [1, 'two'] }, dropped: undefined };
    const message = from(frame, { channel: CHANNEL, type: 'change', nonce: NONCE, value });
    expect(message).toEqual({
      type: 'change',
      nonce: NONCE,
      value: { when: '2030-01-06T00:00:00.000Z', nested: { list: [1, 'two'] } },
    });
    expect(from(frame, { channel: CHANNEL, type: 'change', nonce: NONCE, value: ['a'] })).toMatchObject({
      type: 'error',
    });
  });

  it('bounds the size of a value and the height of the frame', () => {
    const huge = { text: 'x'.repeat(300 * 1024) };
    expect(from(frame, { channel: CHANNEL, type: 'change', nonce: NONCE, value: huge })?.type).toBe('error');
    expect(from(frame, { channel: CHANNEL, type: 'resize', nonce: NONCE, height: 1e9 })).toEqual({
      type: 'resize',
      nonce: NONCE,
      height: MAX_FRAME_HEIGHT,
    });
    expect(from(frame, { channel: CHANNEL, type: 'resize', nonce: NONCE, height: 'tall' })).toBeNull();
  });

  it('keeps an error message short and never empty', () => {
    const long = from(frame, { channel: CHANNEL, type: 'error', nonce: NONCE, message: 'e'.repeat(5000) });
    expect(long).toMatchObject({ type: 'error' });
    expect(long?.type === 'error' && long.message.length).toBe(2000);
    expect(from(frame, { channel: CHANNEL, type: 'error', nonce: NONCE })).toEqual({
      type: 'error',
      nonce: NONCE,
      message: 'The layout failed.',
    });
  });
});

describe('plainJsonObject', () => {
  it('drops functions and refuses cycles', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(plainJsonObject({ a: 1, f: () => 1 })).toEqual({ a: 1 });
    expect(plainJsonObject(cyclic)).toBeNull();
    expect(plainJsonObject(null)).toBeNull();
  });
});

describe('sandboxPolicy and sandboxDocument', () => {
  const runtime = 'http://127.0.0.1:8000/assets/main-abc.js';

  it('allows only the runtime script and the layout’s own code, and no network', () => {
    const policy = sandboxPolicy(runtime);
    const directives = Object.fromEntries(
      policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    expect(directives['default-src']).toBe("'none'");
    expect(directives['script-src']).toBe(`${runtime} 'unsafe-eval' blob:`);
    expect(directives['connect-src']).toBe("'none'");
    expect(directives['img-src']).toBe('data:');
    expect(directives['form-action']).toBe("'none'");
    expect(policy).not.toMatch(/unsafe-inline'; (?!img)|\*|https?:\/\/(?!127\.0\.0\.1:8000\/assets\/main-abc\.js)/);
    expect(directives['script-src']).not.toContain("'unsafe-inline'");
  });

  it('puts the policy first and loads the runtime by its URL, escaped', () => {
    const doc = sandboxDocument('http://h/a.js?x="><script>');
    expect(doc.indexOf('Content-Security-Policy')).toBeLessThan(doc.indexOf('<script'));
    expect(doc).toContain('<script src="http://h/a.js?x=&quot;>&lt;script>"></script>');
    expect(doc.match(/<script/g)).toHaveLength(1);
  });

  it('makes a new nonce each time', () => {
    expect(newNonce()).toMatch(/^[0-9a-f]{24}$/);
    expect(newNonce()).not.toBe(newNonce());
  });
});

describe('componentLayout', () => {
  it('tells component source from declarative sections', () => {
    expect(componentLayout({ source: 'export default () => null', language: 'jsx' })).toEqual({
      source: 'export default () => null',
      language: 'jsx',
    });
    expect(componentLayout({ source: 'x' })?.language).toBe('tsx');
    expect(componentLayout({ sections: [{ fields: ['a'] }] })).toBeNull();
    expect(componentLayout(null)).toBeNull();
  });
});

describe('compileLayout', () => {
  it('compiles TSX to code that requires the kit and exports the component', async () => {
    const result = await compileLayout({
      source:
        "import { Field } from '@ticketflower/layout';\ntype P = { a: string };\nexport default function L(p: P) { return <Field name={p.a} />; }",
      language: 'tsx',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.code).toContain("require('@ticketflower/layout')");
    expect(result.code).toMatch(/exports\.\s*default\s*=/);
    expect(result.code).not.toContain(': P');
  });

  it('reports a syntax error with its 1-based line and column', async () => {
    const result = await compileLayout({
      source: 'export default function L() {\n  const x = ;\n  return <div>{x}</div>;\n}\n',
      language: 'tsx',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect([result.error.line, result.error.column]).toEqual([2, 13]);
    expect(result.error.message).toMatch(/\(2:13\)/);
  });

  it('refuses TypeScript in a JSX layout and a layout without a default export', async () => {
    expect((await compileLayout({ source: 'export default (p: { a: string }) => <b/>;', language: 'jsx' })).ok).toBe(
      false,
    );
    const none = await compileLayout({ source: 'export const L = () => <b/>;', language: 'tsx' });
    expect(none.ok === false && none.error.message).toBe('The layout has no default export.');
  });
});

describe('checkValue', () => {
  const schema = {
    type: 'object',
    properties: {
      approved: { type: 'boolean' },
      laptop: { type: 'string', enum: ['standard', 'developer', 'none'] },
      comment: { type: 'string', maxLength: 5 },
    },
    required: ['approved', 'laptop'],
  };

  it('passes a valid value', () => {
    expect(checkValue(schema, { approved: true, laptop: 'none' })).toEqual({
      valid: true,
      fieldErrors: {},
      messages: [],
    });
  });

  it('places each problem at its field, as the generated form does', () => {
    const result = checkValue(schema, { approved: 'yes', laptop: 'gold', comment: 'far too long' });
    expect(result.valid).toBe(false);
    expect(Object.keys(result.fieldErrors).sort()).toEqual(['approved', 'comment', 'laptop']);
    expect(result.fieldErrors.laptop?.[0]).toMatch(/allowed values/);
    expect(result.messages.some((m) => m.startsWith('comment: '))).toBe(true);
  });

  it('reports a missing required field', () => {
    expect(checkValue(schema, { approved: true }).fieldErrors.laptop?.[0]).toMatch(/required/);
  });
});

describe('fieldErrorsFrom', () => {
  it('flattens the server’s error tree to the top-level fields', () => {
    expect(
      fieldErrorsFrom({ laptop: { __errors: ['not allowed'] }, address: { city: { __errors: ['empty'] } } }),
    ).toEqual({
      fieldErrors: { laptop: ['not allowed'], address: ['empty'] },
      messages: ['laptop: not allowed', 'address.city: empty'],
    });
    expect(fieldErrorsFrom({ __errors: ['bad'] }).messages).toEqual(['the form: bad']);
    expect(fieldErrorsFrom(null)).toEqual({ fieldErrors: {}, messages: [] });
  });
});
