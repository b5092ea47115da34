import jsonata from 'jsonata';

export type PreviewResult = { ok: true; value: unknown } | { ok: false; error: string };

type Bounds = { timeoutMs: number; maxDepth: number };

const DEFAULT_BOUNDS: Bounds = { timeoutMs: 500, maxDepth: 200 };

/**
 * Evaluates a JSONata expression against sample data in the browser, bounded in time and
 * depth like the server's evaluation, so a runaway expression cannot hang the page.
 */
export async function previewJsonata(
  expression: string,
  data: unknown,
  bounds: Bounds = DEFAULT_BOUNDS,
): Promise<PreviewResult> {
  try {
    const compiled = jsonata(expression, { timeout: bounds.timeoutMs, stack: bounds.maxDepth });
    return { ok: true, value: await compiled.evaluate(data) };
  } catch (error) {
    return { ok: false, error: describe(error) };
  }
}

function describe(error: unknown): string {
  if (error && typeof error === 'object') {
    const { message, code, position } = error as { message?: unknown; code?: unknown; position?: unknown };
    const text = typeof message === 'string' && message ? message : `JSONata error ${String(code ?? '')}`.trim();
    return typeof position === 'number' ? `${text} (at character ${position})` : text;
  }
  return String(error);
}
