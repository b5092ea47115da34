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
    expect(graph?.nodes.map((n) => [n.id, n.is_start, n.is_end, n.missing ?? false])).toEqual([
      ['review', true, false, false],
      ['notify', false, true, false],
      // The transition to a task that does not exist ends at a task drawn as missing.
      ['nowhere', false, false, true],
    ]);
    expect(graph?.edges.map((e) => [e.to, e.order])).toEqual([
      ['notify', 0],
      ['nowhere', 1],
    ]);
    expect(graph?.problems).toEqual(['workflow.transitions[1].to: "nowhere" is not a task.']);
  });

  it('draws what it can of a broken workflow instead of one shapeless task, and says what is wrong', () => {
    const graph = bundleGraph({
      workflow: {
        start_task: 'start',
        tasks: [{ name: 'No key' }, { key: 'a', name: 'A' }, { key: 'a', name: 'A again' }, 'oops'],
        transitions: [{ from: 'a', to: 'b' }, { from: 'a' }, 7],
      },
    });
    expect(graph?.nodes.map((n) => [n.id, n.name, n.missing ?? false])).toEqual([
      ['#1', 'No key', false],
      ['a', 'A', false],
      ['a#3', 'A again', false],
      ['#4', 'Task 4 (no key)', false],
      ['b', 'b', true],
    ]);
    // Every drawn task has an id of its own, so none is drawn over another.
    expect(new Set(graph?.nodes.map((n) => n.id)).size).toBe(graph?.nodes.length);
    expect(graph?.edges.map((e) => [e.from, e.to])).toEqual([['a', 'b']]);
    expect(graph?.problems).toEqual([
      'workflow.transitions[2] is not a transition (from, to, condition).',
      'workflow.tasks[0] has no key.',
      'Two tasks have the key "a".',
      'workflow.tasks[3] is not a task.',
      'The start task "start" is not a task.',
      'workflow.transitions[0].to: "b" is not a task.',
      'workflow.transitions[1] needs both from and to.',
    ]);
  });

  it('draws the tasks of a bundle that does not parse yet from the parts that do', () => {
    const parsed = parseBundle('workflow:\n  start_task: a\n  tasks:\n    - key: a\n      name: [oops\n    - key: b\n');
    expect(parsed.syntaxErrors).toHaveLength(1);
    expect(parsed.syntaxErrors[0]?.msg).not.toMatch(/at line|\n/);
    expect(parsed.data).toBeNull();
    expect(bundleGraph(parsed.partial)?.nodes.map((n) => n.id)).toEqual(['a', 'b']);
  });

  it('is null for something that is not a bundle', () => {
    expect(bundleGraph({ nope: true })).toBeNull();
  });
});
