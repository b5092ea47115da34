import { useReducer } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { JsonView } from '@/components/ui/json-view';
import { SelectField } from '@/components/ui/select-field';
import { TextareaField } from '@/components/ui/textarea-field';
import { previewJsonata, type PreviewResult } from '@/features/definitions/hooks/jsonata-preview';

type State = { expression: string; sample: string; result: PreviewResult | null; running: boolean };
type Action =
  | { type: 'expressionChanged'; expression: string }
  | { type: 'sampleChanged'; sample: string }
  | { type: 'started' }
  | { type: 'finished'; result: PreviewResult };

function reducer(state: State, action: Action): State {
  switch (action.type) {
    case 'expressionChanged':
      return { ...state, expression: action.expression, result: null };
    case 'sampleChanged':
      return { ...state, sample: action.sample, result: null };
    case 'started':
      return { ...state, running: true };
    case 'finished':
      return { ...state, running: false, result: action.result };
  }
}

export type NamedExpression = { label: string; expression: string };

/** Try a condition or transform against sample data in the browser, as the engine would evaluate it. */
export function JsonataPreviewPanel({
  expressions,
  sample = '{}',
}: {
  expressions: NamedExpression[];
  sample?: string;
}) {
  const [state, dispatch] = useReducer(reducer, {
    expression: expressions[0]?.expression ?? '',
    sample,
    result: null,
    running: false,
  });

  const run = async () => {
    let data: unknown;
    try {
      data = JSON.parse(state.sample || 'null');
    } catch (error) {
      dispatch({ type: 'finished', result: { ok: false, error: `Sample data is not JSON: ${String(error)}` } });
      return;
    }
    dispatch({ type: 'started' });
    dispatch({ type: 'finished', result: await previewJsonata(state.expression, data) });
  };

  return (
    <div className="flex flex-col gap-4">
      {expressions.length > 0 && (
        <SelectField
          label="Start from an expression of this workflow"
          name="pick"
          value=""
          onChange={(expression) => expression && dispatch({ type: 'expressionChanged', expression })}
          options={[
            { value: '', label: 'Choose a condition or transform…' },
            ...expressions.map((e) => ({ value: e.expression, label: e.label })),
          ]}
        />
      )}
      <div className="grid gap-4 md:grid-cols-2">
        <TextareaField
          label="JSONata expression"
          name="expression"
          rows={4}
          monospace
          value={state.expression}
          onChange={(expression) => dispatch({ type: 'expressionChanged', expression })}
        />
        <TextareaField
          label="Sample data (JSON)"
          name="sample"
          rows={4}
          monospace
          value={state.sample}
          onChange={(value) => dispatch({ type: 'sampleChanged', sample: value })}
        />
      </div>
      <div>
        <Button variant="secondary" loading={state.running} onClick={() => void run()}>
          Evaluate
        </Button>
      </div>
      {state.result &&
        (state.result.ok ? (
          <div data-testid="jsonata-result">
            <p className="mb-1 text-sm font-semibold">Result</p>
            <JsonView label="Result" value={state.result.value === undefined ? null : state.result.value} />
            {state.result.value === undefined && <p className="text-xs text-slate-600">(no match: undefined)</p>}
          </div>
        ) : (
          <Alert tone="error">{state.result.error}</Alert>
        ))}
    </div>
  );
}
