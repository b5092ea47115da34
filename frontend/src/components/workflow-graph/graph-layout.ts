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

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 64;

/** Top-left positions of each task for drawing, laid out top to bottom by dagre. */
export function layoutGraph(graph: Pick<WorkflowGraphData, 'nodes' | 'edges'>): Map<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 70, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of graph.edges) {
    if (g.hasNode(edge.from) && g.hasNode(edge.to)) g.setEdge(edge.from, edge.to, {}, edge.id);
  }
  dagre.layout(g);
  const positions = new Map<string, { x: number; y: number }>();
  for (const node of graph.nodes) {
    const placed = g.node(node.id) as { x: number; y: number } | undefined;
    // dagre gives centres; the drawing wants top-left corners.
    positions.set(node.id, { x: (placed?.x ?? 0) - NODE_WIDTH / 2, y: (placed?.y ?? 0) - NODE_HEIGHT / 2 });
  }
  return positions;
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
