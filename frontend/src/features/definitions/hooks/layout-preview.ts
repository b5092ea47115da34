import { componentLayout, type ComponentLayout } from '@/components/custom-layout/layout-kind';

export type PreviewTarget = {
  /** Where the layout sits in the bundle: `workflow.tasks[0].edit_layout`. */
  path: string;
  mode: 'edit' | 'display';
  layout: ComponentLayout;
  schema: Record<string, unknown>;
  sample: Record<string, unknown>;
  context: Record<string, unknown>;
};

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {};
}

function list(value: unknown): Obj[] {
  return Array.isArray(value) ? value.map(obj) : [];
}

/** A plausible value for each property of a schema, so a preview has something to show. */
export function sampleFor(schema: unknown): Obj {
  const sample: Obj = {};
  for (const [name, raw] of Object.entries(obj(obj(schema).properties))) {
    const property = obj(raw);
    const type = Array.isArray(property.type) ? property.type[0] : property.type;
    if (property.default !== undefined) sample[name] = property.default;
    else if (Array.isArray(property.enum) && property.enum.length > 0) sample[name] = property.enum[0];
    else if (type === 'boolean') sample[name] = true;
    else if (type === 'integer' || type === 'number')
      sample[name] = typeof property.minimum === 'number' ? property.minimum : 1;
    else if (type === 'string' && property.format === 'date') sample[name] = '2030-01-06';
    else if (type === 'string')
      sample[name] = typeof property.title === 'string' ? `Sample ${property.title.toLowerCase()}` : `Sample ${name}`;
  }
  return sample;
}

/** Every component layout of a bundle, with a schema, sample data and context to preview it. */
export function previewTargets(bundle: unknown): PreviewTarget[] {
  const workflow = obj(obj(bundle).workflow);
  const tasks = list(workflow.tasks);
  const ticketTypes = list(obj(bundle).ticket_types);
  const ticketSample = Object.assign({}, ...ticketTypes.map((t) => sampleFor(t.fields))) as Obj;
  const allData = Object.assign({}, ticketSample, ...tasks.map((t) => sampleFor(t.output_schema))) as Obj;
  const targets: PreviewTarget[] = [];
  const add = (path: string, mode: 'edit' | 'display', raw: unknown, schema: unknown, sample: Obj, context: Obj) => {
    const layout = componentLayout(raw);
    if (layout) targets.push({ path, mode, layout, schema: obj(schema), sample, context });
  };
  const path = tasks.map((t) => ({ name: String(t.name ?? t.key ?? ''), status: 'COMPLETED' }));
  add('workflow.display_layout', 'display', workflow.display_layout, {}, allData, {
    status: 'IN_PROGRESS',
    ticket_number: 'SAMPLE-1',
    path,
  });
  tasks.forEach((task, index) => {
    add(`workflow.tasks[${index}].edit_layout`, 'edit', task.edit_layout, task.output_schema, ticketSample, {});
    add(`workflow.tasks[${index}].display_layout`, 'display', task.display_layout, task.input_schema, ticketSample, {});
  });
  ticketTypes.forEach((ticketType, index) => {
    add(`ticket_types[${index}].edit_layout`, 'edit', ticketType.edit_layout, ticketType.fields, {}, {});
    add(
      `ticket_types[${index}].display_layout`,
      'display',
      ticketType.display_layout,
      ticketType.fields,
      sampleFor(ticketType.fields),
      {
        number: 'SAMPLE-1',
        title: 'Sample ticket',
        status: 'OPEN',
      },
    );
  });
  return targets;
}
