import { Background, Controls, MarkerType, ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';

import {
  edgeLabel,
  layoutGraph,
  NODE_HEIGHT,
  NODE_WIDTH,
  takenEdges,
  type WorkflowGraphData,
} from '@/components/workflow-graph/graph-layout';
import { humanize } from '@/lib/format';

type WorkflowGraphProps = {
  graph: Pick<WorkflowGraphData, 'nodes' | 'edges'>;
  /** A running instance drawn on the workflow: the tasks it went through, in order. */
  path?: readonly string[];
  currentTask?: string | null;
  label: string;
};

function nodeStyle(state: 'current' | 'visited' | 'idle') {
  const palette = {
    current: { border: '3px solid #4f46e5', background: '#eef2ff' },
    visited: { border: '2px solid #15803d', background: '#f0fdf4' },
    idle: { border: '1px solid #94a3b8', background: '#ffffff' },
  }[state];
  return { ...palette, width: NODE_WIDTH, height: NODE_HEIGHT, borderRadius: 8, padding: 6, fontSize: 12 };
}

/** A workflow drawn with React Flow, laid out by dagre; an instance's path is highlighted. */
export function WorkflowGraph({ graph, path = [], currentTask = null, label }: WorkflowGraphProps) {
  const { nodes, edges } = useMemo(() => {
    const positions = layoutGraph(graph);
    const visited = new Set(path);
    const taken = takenEdges(graph.edges, path);
    const flowNodes: Node[] = graph.nodes.map((task) => {
      const state = task.id === currentTask ? 'current' : visited.has(task.id) ? 'visited' : 'idle';
      const end = task.is_end && (task.outcome_label ? `end: ${task.outcome_label}` : 'end');
      const marks = [task.is_start && 'start', end, state === 'current' && 'current'].filter(Boolean).join(', ');
      return {
        id: task.id,
        position: positions.get(task.id) ?? { x: 0, y: 0 },
        data: {
          label: (
            <div className="flex flex-col items-center" data-task={task.id} data-state={state}>
              <span className="font-semibold">{task.name}</span>
              <span className="text-[10px] text-slate-600">
                {humanize(task.task_type)}
                {marks ? ` · ${marks}` : ''}
              </span>
            </div>
          ),
        },
        style: nodeStyle(state),
        draggable: false,
        connectable: false,
        ariaLabel: `${task.name} (${humanize(task.task_type)}${marks ? `, ${marks}` : ''})`,
      };
    });
    const flowEdges: Edge[] = graph.edges.map((edge) => {
      const wasTaken = taken.has(edge.id);
      return {
        id: edge.id,
        source: edge.from,
        target: edge.to,
        label: edgeLabel(edge),
        labelStyle: { fontSize: 10 },
        animated: wasTaken && edge.to === currentTask,
        markerEnd: { type: MarkerType.ArrowClosed },
        style: wasTaken ? { stroke: '#15803d', strokeWidth: 2.5 } : { stroke: '#64748b' },
      };
    });
    return { nodes: flowNodes, edges: flowEdges };
  }, [graph, path, currentTask]);

  return (
    <figure className="m-0">
      <div className="h-[28rem] w-full rounded-lg border border-slate-200 bg-white" role="group" aria-label={label}>
        <ReactFlow nodes={nodes} edges={edges} fitView nodesDraggable={false} nodesConnectable={false}>
          <Background />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
      <figcaption className="mt-2 text-xs text-slate-600">
        Transitions are labelled with the order they are tried in and their condition.
        {path.length > 0 && ' Green: the path taken; blue outline: the current task.'}
      </figcaption>
    </figure>
  );
}
