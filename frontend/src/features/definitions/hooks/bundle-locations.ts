import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

import type { GraphEdge, GraphNode } from '@/components/workflow-graph/graph-layout';
import type { Problem } from '@/features/definitions/types/definitions';

export type ParsedBundle = {
  /** The document as data (for a dry run), or null when it does not parse. */
  data: unknown;
  /** As much of the document as could be read, even with syntax errors (for the graph preview). */
  partial: unknown;
  syntaxErrors: Array<{ line: number; msg: string }>;
  /** 1-based line of the place a problem's `loc` points at (the nearest existing ancestor). */
  lineOf: (loc: readonly string[]) => number;
  /**
   * The bundle line of line `line` of the text at `loc`: inside a block scalar (`source: |`)
   * the text starts on the line after its indicator; elsewhere it is the value's own line.
   */
  lineWithin: (loc: readonly string[], line: number) => number;
};

/** Parses a bundle (YAML, or JSON, which is YAML too) keeping where each part sits in the text. */
export function parseBundle(text: string): ParsedBundle {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  const syntaxErrors = doc.errors.map((error) => ({
    line: error.linePos?.[0]?.line ?? 1,
    // The library's message ends with "at line L, column C:" and a copy of the text there; the
    // editor shows the line itself, so only the first sentence is kept.
    msg: (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, ''),
  }));

  const lineOf = (loc: readonly string[]): number => {
    let node: unknown = doc.contents;
    let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
    for (const part of loc) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === part);
        if (!pair) break;
        offset = (pair.key as Node).range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node)) {
        const item = node.items[Number(part)] as Node | undefined;
        if (!item) break;
        offset = item.range?.[0] ?? offset;
        node = item;
      } else {
        break;
      }
    }
    return lines.linePos(offset).line;
  };

  const lineWithin = (loc: readonly string[], line: number): number => {
    const node = doc.getIn(loc, true);
    if (isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && node.range) {
      return lines.linePos(node.range[0]).line + line;
    }
    return lineOf(loc);
  };

  let partial: unknown = null;
  try {
    partial = doc.toJS();
  } catch {
    partial = null;
  }
  const data = syntaxErrors.length === 0 ? partial : null;
  return { data, partial, syntaxErrors, lineOf, lineWithin };
}

/** Problems grouped by the line they point at, for showing each one at its place. */
export function problemsByLine(parsed: ParsedBundle, problems: readonly Problem[]): Map<number, Problem[]> {
  const byLine = new Map<number, Problem[]>();
  for (const problem of problems) {
    const line = problem.line ? parsed.lineWithin(problem.loc, problem.line) : parsed.lineOf(problem.loc);
    byLine.set(line, [...(byLine.get(line) ?? []), problem]);
  }
  return byLine;
}

/** `["workflow", "tasks", 2, "key"]` → `workflow.tasks[2].key`, as the service writes paths. */
export function pathOf(loc: ReadonlyArray<string | number>): string {
  let path = '';
  for (const part of loc) {
    const text = String(part);
    if (/^\d+$/.test(text)) path += `[${text}]`;
    else path += path ? `.${text}` : text;
  }
  return path || '(bundle)';
}

type TaskShape = { key?: unknown; name?: unknown; task_type?: unknown };
type TransitionShape = { from?: unknown; to?: unknown; condition?: unknown; priority?: unknown };

export type BundleGraph = {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** What keeps parts of the workflow from being drawn as written, in the bundle's own terms. */
  problems: string[];
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : null;

/**
 * The graph of a bundle being edited, drawn before it is published (same rules as the service).
 * A bundle with mistakes still draws what can be read: a task without a key gets a placeholder,
 * a transition to a task that does not exist ends at a task marked missing, and each such
 * mistake is listed. Null only when there is no list of tasks at all.
 */
export function bundleGraph(data: unknown): BundleGraph | null {
  const workflow = isObject(data) ? data.workflow : undefined;
  if (!isObject(workflow) || !Array.isArray(workflow.tasks)) return null;
  const problems: string[] = [];
  const transitions: TransitionShape[] = [];
  if (Array.isArray(workflow.transitions)) {
    workflow.transitions.forEach((t: unknown, index) => {
      if (isObject(t)) transitions.push(t);
      else problems.push(`workflow.transitions[${index}] is not a transition (from, to, condition).`);
    });
  } else if (workflow.transitions !== undefined) {
    problems.push('workflow.transitions is not a list.');
  }

  const nodes: GraphNode[] = [];
  const ids = new Set<string>();
  (workflow.tasks as unknown[]).forEach((raw, index) => {
    const task: TaskShape = isObject(raw) ? raw : {};
    if (!isObject(raw)) problems.push(`workflow.tasks[${index}] is not a task.`);
    const key = text(task.key);
    let id = key ?? `#${index + 1}`;
    if (key === null && isObject(raw)) problems.push(`workflow.tasks[${index}] has no key.`);
    if (ids.has(id)) {
      problems.push(`Two tasks have the key "${id}".`);
      id = `${id}#${index + 1}`;
    }
    ids.add(id);
    nodes.push({
      id,
      name: text(task.name) ?? key ?? `Task ${index + 1} (no key)`,
      task_type: text(task.task_type) ?? '',
      is_start: key !== null && key === workflow.start_task,
      is_end: key !== null && !transitions.some((t) => t.from === key),
    });
  });
  const taskIds = new Set(ids);
  if (workflow.start_task === undefined) problems.push('workflow.start_task is missing.');
  else if (!nodes.some((n) => n.is_start))
    problems.push(`The start task "${String(workflow.start_task)}" is not a task.`);

  const missing = (name: string) => {
    if (ids.has(name)) return;
    ids.add(name);
    nodes.push({ id: name, name, task_type: '', is_start: false, is_end: false, missing: true });
  };
  const edges: GraphEdge[] = [];
  const positions = transitions.map((t, position) => ({ t, position }));
  const sources = [...new Set(transitions.map((t) => text(t.from) ?? ''))];
  for (const from of sources) {
    positions
      .filter(({ t }) => (text(t.from) ?? '') === from)
      // Highest priority first, ties in definition order: the order the engine tries them in.
      .sort((a, b) => priorityOf(b.t) - priorityOf(a.t) || a.position - b.position)
      .forEach(({ t, position }, order) => {
        const to = text(t.to) ?? '';
        if (from === '' || to === '') {
          problems.push(`workflow.transitions[${position}] needs both from and to.`);
          return;
        }
        for (const [end, name] of [
          ['from', from],
          ['to', to],
        ] as const) {
          if (!taskIds.has(name)) problems.push(`workflow.transitions[${position}].${end}: "${name}" is not a task.`);
          missing(name);
        }
        edges.push({
          id: `t${position}`,
          from,
          to,
          condition: typeof t.condition === 'string' ? t.condition : null,
          priority: priorityOf(t),
          order,
        });
      });
  }
  return { nodes, edges, problems };
}

function priorityOf(t: TransitionShape): number {
  return typeof t.priority === 'number' ? t.priority : 0;
}
