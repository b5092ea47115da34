import dagre from '@dagrejs/dagre';

// The shape of the definitions service's `GET /workflows/{key}/graph`.
export type GraphNode = {
  id: string;
  name: string;
  task_type: string;
  is_start: boolean;
  is_end: boolean;
  /** The outcome an end task names. */
  outcome_label?: string | null;
  /** Drawn for a bundle being edited: a task a transition names but that does not exist. */
  missing?: boolean;
};
export type GraphEdge = {
  id: string;
  from: string;
  to: string;
  condition: string | null;
  priority: number;
  order: number;
  /** The outcome a transition into an end names. */
  outcome_label?: string | null;
};
export type WorkflowGraphData = { key: string; version: number; nodes: GraphNode[]; edges: GraphEdge[] };

export type Point = { x: number; y: number };
export type GraphLayout = {
  /** Top-left corner of each task. */
  nodes: Map<string, Point>;
  /** Each transition's route, from the border of its source to the border of its target. */
  edges: Map<string, { points: Point[]; label: Point }>;
  width: number;
  height: number;
};

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 64;
/** Edge labels are drawn at this size; dagre reserves room for them so no node covers one. */
export const LABEL_FONT_PX = 12;
const LABEL_CHAR_PX = 7;
const LABEL_HEIGHT = 22;
/** Conditions longer than this are cut in the drawing (the full text is the label's title). */
export const LABEL_MAX_CHARS = 40;

/**
 * Lays the graph out top to bottom with dagre, which routes each edge around the tasks (a
 * transition that skips a rank bends past the tasks in between instead of crossing them) and
 * gives each label a place of its own between the ranks.
 */
export function layoutGraph(graph: Pick<WorkflowGraphData, 'nodes' | 'edges'>): GraphLayout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 50, edgesep: 30, ranksep: 60, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of graph.edges) {
    if (!g.hasNode(edge.from) || !g.hasNode(edge.to)) continue;
    const text = shortLabel(edgeLabel(edge));
    g.setEdge(
      edge.from,
      edge.to,
      { width: text.length * LABEL_CHAR_PX + 16, height: LABEL_HEIGHT, labelpos: 'c' },
      edge.id,
    );
  }
  dagre.layout(g);
  const nodes = new Map<string, Point>();
  for (const node of graph.nodes) {
    const placed = g.node(node.id) as Point | undefined;
    // dagre gives centres; the drawing wants top-left corners.
    nodes.set(node.id, { x: (placed?.x ?? 0) - NODE_WIDTH / 2, y: (placed?.y ?? 0) - NODE_HEIGHT / 2 });
  }
  const edges = new Map<string, { points: Point[]; label: Point }>();
  for (const edge of graph.edges) {
    if (!g.hasNode(edge.from) || !g.hasNode(edge.to)) continue;
    const routed = g.edge(edge.from, edge.to, edge.id) as { points?: Point[]; x?: number; y?: number } | undefined;
    const points = routed?.points ?? [];
    if (points.length < 2) continue;
    const middle = points[Math.floor(points.length / 2)] ?? points[0]!;
    edges.set(edge.id, { points, label: { x: routed?.x ?? middle.x, y: routed?.y ?? middle.y } });
  }
  const size = g.graph() as { width?: number; height?: number };
  return { nodes, edges, width: size.width ?? 0, height: size.height ?? 0 };
}

/**
 * An SVG path through `points`: straight from the first to the midpoint of the first bend,
 * then a quadratic curve around each bend, ending on the last point along the last segment
 * (so the arrowhead points the way the edge arrives).
 */
export function routePath(points: readonly Point[]): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  let d = `M ${first!.x} ${first!.y}`;
  for (let i = 0; i < rest.length - 1; i += 1) {
    const bend = rest[i]!;
    const next = rest[i + 1]!;
    d += ` Q ${bend.x} ${bend.y} ${(bend.x + next.x) / 2} ${(bend.y + next.y) / 2}`;
  }
  const last = rest[rest.length - 1];
  if (last) d += ` L ${last.x} ${last.y}`;
  return d;
}

/** The transitions an instance took, from its ordered path of task keys. */
export function takenEdges(edges: readonly GraphEdge[], path: readonly string[]): Set<string> {
  const taken = new Set<string>();
  for (let i = 0; i + 1 < path.length; i += 1) {
    const edge = edges.find((e) => e.from === path[i] && e.to === path[i + 1]);
    if (edge) taken.add(edge.id);
  }
  return taken;
}

export function edgeLabel(edge: GraphEdge): string {
  const condition = edge.condition ?? 'otherwise';
  const outcome = edge.outcome_label ? ` → ${edge.outcome_label}` : '';
  return `${edge.order + 1}. ${condition}${outcome}`;
}

export function shortLabel(text: string): string {
  return text.length > LABEL_MAX_CHARS ? `${text.slice(0, LABEL_MAX_CHARS - 1)}…` : text;
}
