import { ApiError } from '@/lib/api-error';

/** react-jsonschema-form's shape for errors placed at fields: `{ name: { __errors: [...] } }`. */
export type ErrorTree = { __errors?: string[]; [key: string]: ErrorTree | string[] | undefined };

/**
 * Places the server's problem details next to the generated form's fields. `prefix` is the
 * part of `loc` that leads to the form's data (`["body", "ticket_data"]`); problems outside it
 * are returned apart, for the form's own message.
 */
export function errorTreeFrom(
  error: unknown,
  prefix: readonly string[],
): { tree: ErrorTree; unplaced: string[] } | null {
  if (!(error instanceof ApiError) || error.problem.errors.length === 0) return null;
  const tree: ErrorTree = {};
  const unplaced: string[] = [];
  for (const entry of error.problem.errors) {
    const loc = entry.loc.map(String);
    const inside = prefix.every((part, index) => loc[index] === part);
    if (!inside) {
      unplaced.push(entry.msg);
      continue;
    }
    let node = tree;
    for (const part of loc.slice(prefix.length)) {
      const child = node[part];
      if (child === undefined || Array.isArray(child)) {
        const created: ErrorTree = {};
        node[part] = created;
        node = created;
      } else {
        node = child;
      }
    }
    node.__errors = [...(node.__errors ?? []), entry.msg];
  }
  return { tree, unplaced };
}
