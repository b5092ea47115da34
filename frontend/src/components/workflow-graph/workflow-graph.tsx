import {
  Background,
  BaseEdge,
  Controls,
  EdgeLabelRenderer,
  MarkerType,
  ReactFlow,
  type Edge,
  type EdgeProps,
  type Node,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';

import {
  edgeLabel,
  LABEL_FONT_PX,
  layoutGraph,
  NODE_HEIGHT,
  NODE_WIDTH,
  routePath,
  shortLabel,
  takenEdges,
  type Point,
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

type NodeState = 'current' | 'visited' | 'idle' | 'missing';

const TAKEN = '#15803d';
const IDLE = '#475569';

function nodeStyle(state: NodeState) {
  const palette = {
    current: { border: '3px solid #4f46e5', background: '#eef2ff' },
    visited: { border: '2px solid #15803d', background: '#f0fdf4' },
    idle: { border: '1px solid #94a3b8', background: '#ffffff' },
    missing: { border: '2px dashed #b91c1c', background: '#fef2f2' },
  }[state];
  return { ...palette, width: NODE_WIDTH, height: NODE_HEIGHT, borderRadius: 8, padding: 6, fontSize: 14 };
}

type RoutedEdgeData = { points: Point[]; label: Point; text: string; fullText: string; taken: boolean };

/** An edge drawn along the route dagre found for it, with its label where dagre made room. */
function RoutedEdge({ id, data, markerEnd, style }: EdgeProps<Edge<RoutedEdgeData>>) {
  if (!data) return null;
  return (
    <>
      <BaseEdge id={id} path={routePath(data.points)} markerEnd={markerEnd} style={style} />
      <EdgeLabelRenderer>
        <div
          className="nodrag nopan absolute rounded border bg-white px-1.5 py-0.5 leading-tight whitespace-nowrap"
          style={{
            transform: `translate(-50%, -50%) translate(${data.label.x}px, ${data.label.y}px)`,
            fontSize: LABEL_FONT_PX,
            borderColor: data.taken ? TAKEN : '#cbd5e1',
            color: data.taken ? '#14532d' : '#1e293b',
          }}
          title={data.fullText}
          data-testid="graph-edge-label"
        >
          {data.text}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

const edgeTypes = { routed: RoutedEdge };

/** A workflow drawn with React Flow, laid out by dagre; an instance's path is highlighted. */
export function WorkflowGraph({ graph, path = [], currentTask = null, label }: WorkflowGraphProps) {
  const { nodes, edges, height } = useMemo(() => {
    const layout = layoutGraph(graph);
    const visited = new Set(path);
    const taken = takenEdges(graph.edges, path);
    const flowNodes: Node[] = graph.nodes.map((task) => {
      const state: NodeState = task.missing
        ? 'missing'
        : task.id === currentTask
          ? 'current'
          : visited.has(task.id)
            ? 'visited'
            : 'idle';
      const kind = task.missing ? 'not defined' : humanize(task.task_type);
      const end = task.is_end && (task.outcome_label ? `end: ${task.outcome_label}` : 'end');
      const marks = [task.is_start && 'start', end, state === 'current' && 'current'].filter(Boolean).join(', ');
      return {
        id: task.id,
        position: layout.nodes.get(task.id) ?? { x: 0, y: 0 },
        data: {
          label: (
            <div className="flex flex-col items-center" data-task={task.id} data-state={state}>
              <span className="max-w-full truncate font-semibold">{task.name}</span>
              <span className="text-xs text-slate-700">
                {kind}
                {marks ? ` · ${marks}` : ''}
              </span>
            </div>
          ),
        },
        style: nodeStyle(state),
        draggable: false,
        connectable: false,
        ariaLabel: `${task.name} (${kind}${marks ? `, ${marks}` : ''})`,
      };
    });
    const flowEdges: Edge<RoutedEdgeData>[] = [];
    for (const edge of graph.edges) {
      const route = layout.edges.get(edge.id);
      if (!route) continue;
      const wasTaken = taken.has(edge.id);
      const color = wasTaken ? TAKEN : IDLE;
      const fullText = edgeLabel(edge);
      flowEdges.push({
        id: edge.id,
        source: edge.from,
        target: edge.to,
        type: 'routed',
        data: { points: route.points, label: route.label, text: shortLabel(fullText), fullText, taken: wasTaken },
        animated: wasTaken && edge.to === currentTask,
        // Every edge has its own arrowhead in its own colour, on the path or off it.
        markerEnd: { type: MarkerType.ArrowClosed, color, width: 18, height: 18 },
        style: wasTaken ? { stroke: TAKEN, strokeWidth: 2.5 } : { stroke: IDLE, strokeWidth: 1.5 },
      });
    }
    return { nodes: flowNodes, edges: flowEdges, height: layout.height };
  }, [graph, path, currentTask]);

  // Tall enough to show the whole workflow at full size where it fits, so labels stay readable;
  // a bigger one scrolls and zooms inside the frame.
  const frameHeight = Math.min(Math.max(height + 40, 240), 720);

  return (
    <figure className="m-0">
      <div
        className="w-full rounded-lg border border-slate-200 bg-white"
        style={{ height: frameHeight }}
        role="group"
        aria-label={label}
      >
        <ReactFlow
          nodes={nodes}
          edges={edges}
          edgeTypes={edgeTypes}
          fitView
          // Never blown up past full size: a one-task graph stays a normal-sized task.
          fitViewOptions={{ maxZoom: 1, padding: 0.1 }}
          minZoom={0.2}
          nodesDraggable={false}
          nodesConnectable={false}
        >
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
