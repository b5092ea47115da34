import { describe, expect, it } from 'vitest';

import { edgeLabel, layoutGraph, takenEdges, type GraphEdge } from '@/components/workflow-graph/graph-layout';

const node = (id: string) => ({ id, name: id, task_type: 'FORM', is_start: id === 'a', is_end: id === 'c' });
const edges: GraphEdge[] = [
  { id: 'e1', from: 'a', to: 'b', condition: 'approved = true', priority: 10, order: 0 },
  { id: 'e2', from: 'a', to: 'c', condition: null, priority: 0, order: 1 },
  { id: 'e3', from: 'b', to: 'c', condition: null, priority: 0, order: 0 },
];

describe('layoutGraph', () => {
  it('places every task, each rank below the one it comes from', () => {
    const positions = layoutGraph({ nodes: ['a', 'b', 'c'].map(node), edges });
    expect(positions.size).toBe(3);
    const y = (id: string) => positions.get(id)?.y ?? NaN;
    expect(y('a')).toBeLessThan(y('b'));
    expect(y('b')).toBeLessThan(y('c'));
  });

  it('ignores edges to tasks that are not drawn', () => {
    const positions = layoutGraph({ nodes: [node('a')], edges });
    expect([...positions.keys()]).toEqual(['a']);
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
});
