import { displaySections, fieldTitle, type JsonSchema, type Layout } from '@/components/json-schema-form/layout';
import { formatDataValue } from '@/lib/format';

type DataSectionsProps = {
  data: Record<string, unknown>;
  layout?: Layout;
  schema?: Record<string, unknown> | null;
  emptyText?: string;
};

/** Data shown read-only, grouped by a definition's display layout. */
export function DataSections({ data, layout, schema, emptyText = 'No data.' }: DataSectionsProps) {
  const sections = displaySections(data, layout);
  if (sections.length === 0) return <p className="text-sm text-slate-600">{emptyText}</p>;
  return (
    <div className="flex flex-col gap-4">
      {sections.map((section, index) => (
        <section key={section.title ?? index} aria-label={section.title ?? undefined}>
          {section.title && <h3 className="mb-2 text-sm font-semibold text-slate-700">{section.title}</h3>}
          <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
            {section.fields.map((field) => (
              <div key={field} className="contents">
                <dt className="font-medium text-slate-600">{fieldTitle(schema as JsonSchema | null, field)}</dt>
                <dd className="break-words text-slate-900">{formatDataValue(data[field])}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}
