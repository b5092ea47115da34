import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

import type { GraphEdge, GraphNode } from '@/components/workflow-graph/graph-layout';
import type { Problem } from '@/features/definitions/types/definitions';

export type ParsedBundle = {
  /** The document as data (for a dry run), or null when it does not parse. */
  data: unknown;
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
  const syntaxErrors = doc.errors.map((error) => ({ line: error.linePos?.[0]?.line ?? 1, msg: error.message }));

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

  let data: unknown = null;
  if (syntaxErrors.length === 0) {
    try {
      data = doc.toJS();
    } catch {
      data = null;
    }
  }
  return { data, syntaxErrors, lineOf, lineWithin };
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

type BundleShape = {
  workflow?: {
    start_task?: string;
    tasks?: Array<{ key?: string; name?: string; task_type?: string }>;
    transitions?: Array<{ from?: string; to?: string; condition?: string | null; priority?: number }>;
  };
};

/** The graph of a bundle being edited, drawn before it is published (same rules as the service). */
export function bundleGraph(data: unknown): { nodes: GraphNode[]; edges: GraphEdge[] } | null {
  const workflow = (data as BundleShape | null)?.workflow;
  if (!workflow || !Array.isArray(workflow.tasks)) return null;
  const transitions = Array.isArray(workflow.transitions) ? workflow.transitions : [];
  const keys = workflow.tasks.map((task) => String(task.key ?? ''));
  const edges: GraphEdge[] = [];
  for (const from of keys) {
    transitions
      .map((t, position) => ({ t, position }))
      .filter(({ t }) => t.from === from)
      // Highest priority first, ties in definition order: the order the engine tries them in.
      .sort((a, b) => (b.t.priority ?? 0) - (a.t.priority ?? 0) || a.position - b.position)
      .forEach(({ t, position }, order) =>
        edges.push({
          id: `t${position}`,
          from,
          to: String(t.to ?? ''),
          condition: t.condition ?? null,
          priority: t.priority ?? 0,
          order,
        }),
      );
  }
  const nodes: GraphNode[] = workflow.tasks.map((task, index) => ({
    id: keys[index] ?? '',
    name: String(task.name ?? task.key ?? ''),
    task_type: String(task.task_type ?? ''),
    is_start: task.key === workflow.start_task,
    is_end: !transitions.some((t) => t.from === task.key),
  }));
  return { nodes, edges };
}
