import { describe, expect, it } from 'vitest';

import { bundleGraph, parseBundle, pathOf, problemsByLine } from '@/features/definitions/hooks/bundle-locations';

const YAML = `workflow:
  key: demo
  name: Demo
  start_task: review
  tasks:
    - key: review
      name: Review
      task_type: FORM
    - key: notify
      name: Notify
      task_type: SYNC_ACTION
      action_url: ftp://nowhere
  transitions:
    - from: review
      to: notify
      condition: approved = true
      priority: 1
    - from: review
      to: nowhere
ticket_types: []
`;

describe('parseBundle', () => {
  it('finds the line of every path, falling back to the nearest existing parent', () => {
    const parsed = parseBundle(YAML);
    expect(parsed.syntaxErrors).toEqual([]);
    expect(parsed.lineOf(['workflow', 'tasks', '1', 'action_url'])).toBe(12);
    expect(parsed.lineOf(['workflow', 'transitions', '1', 'to'])).toBe(19);
    // A missing key is shown where its object starts.
    expect(parsed.lineOf(['workflow', 'tasks', '0', 'output_schema'])).toBe(6);
    expect(parsed.lineOf([])).toBe(1);
  });

  it('locates paths in JSON documents too', () => {
    const parsed = parseBundle('{\n  "workflow": {\n    "key": "x",\n    "tasks": []\n  }\n}');
    expect(parsed.lineOf(['workflow', 'tasks'])).toBe(4);
    expect(parsed.data).toEqual({ workflow: { key: 'x', tasks: [] } });
  });

  it('reports syntax errors with their line', () => {
    const parsed = parseBundle('workflow:\n  key: [unclosed\n');
    expect(parsed.syntaxErrors.length).toBeGreaterThan(0);
    expect(parsed.data).toBeNull();
  });

  it('groups problems by line', () => {
    const parsed = parseBundle(YAML);
    const byLine = problemsByLine(parsed, [
      { loc: ['workflow', 'transitions', '1', 'to'], path: '', msg: 'unknown task', type: 'x' },
      { loc: ['workflow', 'transitions', '1', 'to'], path: '', msg: 'second', type: 'x' },
    ]);
    expect(byLine.get(19)?.map((p) => p.msg)).toEqual(['unknown task', 'second']);
  });

  it('places a problem inside a layout source at its own line of the bundle', () => {
    const text = `workflow:
  key: demo
  tasks:
    - key: review
      edit_layout:
        language: tsx
        source: |
          export default function L() {
            const x = ;
          }
`;
    const parsed = parseBundle(text);
    const loc = ['workflow', 'tasks', '0', 'edit_layout', 'source'];
    const byLine = problemsByLine(parsed, [{ loc, path: '', msg: 'syntax error', type: 'x', line: 2, column: 13 }]);
    expect([...byLine.keys()]).toEqual([9]);
    expect(text.split('\n')[8]).toContain('const x = ;');
    // Without a position, or in a one-line string, the problem sits at the key.
    expect(parsed.lineWithin(['workflow', 'key'], 3)).toBe(2);
  });
});

describe('pathOf', () => {
  it('writes paths as the service does', () => {
    expect(pathOf(['workflow', 'tasks', '2', 'output_schema'])).toBe('workflow.tasks[2].output_schema');
    expect(pathOf([])).toBe('(bundle)');
  });
});

describe('bundleGraph', () => {
  it('draws tasks and transitions in the order the engine tries them', () => {
    const graph = bundleGraph(parseBundle(YAML).data);
    expect(graph?.nodes.map((n) => [n.id, n.is_start, n.is_end])).toEqual([
      ['review', true, false],
      ['notify', false, true],
    ]);
    expect(graph?.edges.map((e) => [e.to, e.order])).toEqual([
      ['notify', 0],
      ['nowhere', 1],
    ]);
  });

  it('is null for something that is not a bundle', () => {
    expect(bundleGraph({ nope: true })).toBeNull();
  });
});
