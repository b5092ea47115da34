import { describe, expect, it } from 'vitest';

import {
  edgeLabel,
  layoutGraph,
  NODE_HEIGHT,
  NODE_WIDTH,
  routePath,
  shortLabel,
  takenEdges,
  type GraphEdge,
  type Point,
} from '@/components/workflow-graph/graph-layout';

const node = (id: string) => ({ id, name: id, task_type: 'FORM', is_start: id === 'a', is_end: id === 'c' });
const edges: GraphEdge[] = [
  { id: 'e1', from: 'a', to: 'b', condition: 'approved = true', priority: 10, order: 0 },
  { id: 'e2', from: 'a', to: 'c', condition: null, priority: 0, order: 1 },
  { id: 'e3', from: 'b', to: 'c', condition: null, priority: 0, order: 0 },
];

type Box = { left: number; right: number; top: number; bottom: number };

const boxOf = (corner: Point): Box => ({
  left: corner.x,
  right: corner.x + NODE_WIDTH,
  top: corner.y,
  bottom: corner.y + NODE_HEIGHT,
});

/** Whether `point` lies inside `box`, `inset` pixels in from its border. */
const inside = (point: Point, box: Box, inset = 2) =>
  point.x > box.left + inset &&
  point.x < box.right - inset &&
  point.y > box.top + inset &&
  point.y < box.bottom - inset;

/** Points every few pixels along a polyline. */
function sample(points: readonly Point[]): Point[] {
  const out: Point[] = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [p, q] = [points[i]!, points[i + 1]!];
    for (let t = 0; t <= 1; t += 0.05) out.push({ x: p.x + (q.x - p.x) * t, y: p.y + (q.y - p.y) * t });
  }
  return out;
}

describe('layoutGraph', () => {
  it('places every task, each rank below the one it comes from', () => {
    const layout = layoutGraph({ nodes: ['a', 'b', 'c'].map(node), edges });
    expect(layout.nodes.size).toBe(3);
    const y = (id: string) => layout.nodes.get(id)?.y ?? NaN;
    expect(y('a')).toBeLessThan(y('b'));
    expect(y('b')).toBeLessThan(y('c'));
  });

  it('routes an edge that skips a rank around the task in between, and keeps every label off every task', () => {
    const layout = layoutGraph({ nodes: ['a', 'b', 'c'].map(node), edges });
    expect([...layout.edges.keys()].sort()).toEqual(['e1', 'e2', 'e3']);
    const boxes = new Map([...layout.nodes].map(([id, corner]) => [id, boxOf(corner)]));
    for (const edge of edges) {
      const route = layout.edges.get(edge.id)!;
      // Starts at the source and ends at the target's border, not inside either.
      expect(route.points.length).toBeGreaterThanOrEqual(2);
      for (const [id, box] of boxes) {
        for (const point of sample(route.points)) expect(inside(point, box), `${edge.id} crosses ${id}`).toBe(false);
        expect(inside(route.label, box, -10), `label of ${edge.id} on ${id}`).toBe(false);
      }
    }
  });

  it('ignores edges to tasks that are not drawn', () => {
    const layout = layoutGraph({ nodes: [node('a')], edges });
    expect([...layout.nodes.keys()]).toEqual(['a']);
    expect(layout.edges.size).toBe(0);
  });
});

describe('routePath', () => {
  it('ends on the last point along the last segment, so the arrowhead points into the target', () => {
    const d = routePath([
      { x: 0, y: 0 },
      { x: 50, y: 50 },
      { x: 50, y: 100 },
    ]);
    expect(d).toBe('M 0 0 Q 50 50 50 75 L 50 100');
    expect(
      routePath([
        { x: 1, y: 2 },
        { x: 3, y: 4 },
      ]),
    ).toBe('M 1 2 L 3 4');
  });
});

describe('takenEdges and edgeLabel', () => {
  it('finds the transitions along a path', () => {
    expect([...takenEdges(edges, ['a', 'b', 'c'])]).toEqual(['e1', 'e3']);
    expect([...takenEdges(edges, ['a'])]).toEqual([]);
  });

  it('labels edges with the order they are tried in', () => {
    expect(edgeLabel(edges[0]!)).toBe('1. approved = true');
    expect(edgeLabel(edges[1]!)).toBe('2. otherwise');
  });

  it('names the outcome a transition into an end gives', () => {
    expect(edgeLabel({ ...edges[1]!, outcome_label: 'Rejected' })).toBe('2. otherwise → Rejected');
  });

  it('cuts long conditions in the drawing', () => {
    const long = shortLabel(`1. ${'x'.repeat(80)}`);
    expect(long).toHaveLength(40);
    expect(long.endsWith('…')).toBe(true);
    expect(shortLabel('1. short')).toBe('1. short');
  });
});
