/** A definition's `edit_layout` / `display_layout`: titled sections naming fields in order. */
export type Layout = { sections?: Array<{ title?: string; fields?: string[] }> } | null | undefined;

export type JsonSchema = {
  type?: string;
  title?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  [keyword: string]: unknown;
};

export type Section = { title: string | null; fields: string[] };

function layoutSections(layout: Layout): Array<{ title?: string; fields?: string[] }> {
  if (!layout || typeof layout !== 'object' || !Array.isArray(layout.sections)) return [];
  return layout.sections.filter((section) => section && Array.isArray(section.fields));
}

/** Field order for the generated form: the layout's fields first, then the rest. */
export function fieldOrder(schema: JsonSchema, layout: Layout): string[] {
  const known = new Set(Object.keys(schema.properties ?? {}));
  const ordered = layoutSections(layout).flatMap((section) => section.fields ?? []);
  const seen = new Set<string>();
  const order = ordered.filter((field) => known.has(field) && !seen.has(field) && seen.add(field));
  return [...order, '*'];
}

/**
 * How to show data read-only: the layout's sections with the fields present in the data, and
 * every other field in a last, untitled section, so nothing is hidden.
 */
export function displaySections(data: Record<string, unknown>, layout: Layout): Section[] {
  const keys = Object.keys(data);
  const shown = new Set<string>();
  const sections: Section[] = [];
  for (const section of layoutSections(layout)) {
    const fields = (section.fields ?? []).filter((field) => field in data && !shown.has(field));
    fields.forEach((field) => shown.add(field));
    if (fields.length > 0) sections.push({ title: section.title ?? null, fields });
  }
  const rest = keys.filter((key) => !shown.has(key));
  if (rest.length > 0) sections.push({ title: sections.length > 0 ? 'Other' : null, fields: rest });
  return sections;
}

export function fieldTitle(schema: JsonSchema | null | undefined, field: string): string {
  const title = schema?.properties?.[field]?.title;
  return typeof title === 'string' && title ? title : field.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/** A schema the form library can render: an object schema, even when the definition left it empty. */
export function formSchema(schema: Record<string, unknown> | null | undefined): JsonSchema {
  const base = (schema ?? {}) as JsonSchema;
  return base.type ? base : { type: 'object', ...base };
}
