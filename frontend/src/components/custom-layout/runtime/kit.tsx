// The component kit a layout imports as '@ticketflower/layout'. It runs inside the sandboxed
// frame only; docs/layouts.md documents it for designers.
import { createContext, useContext, useId, type ReactNode } from 'react';

import type { FieldErrors, LayoutMode } from '@/components/custom-layout/bridge';
import { formatDataValue } from '@/lib/format';

type Schema = {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: unknown[];
  format?: string;
  maxLength?: number;
  properties?: Record<string, Schema>;
  required?: string[];
};

export type LayoutApi = {
  mode: LayoutMode;
  schema: Schema;
  value: Record<string, unknown>;
  data: Record<string, unknown>;
  context: Record<string, unknown>;
  errors: FieldErrors;
  disabled: boolean;
  /** Sets one field of the form value (an empty value removes it, as the standard form does). */
  setValue: (name: string, value: unknown) => void;
  /** Replaces the whole form value. */
  setValues: (value: Record<string, unknown>) => void;
};

export const LayoutContext = createContext<LayoutApi | null>(null);

/** Everything the layout was given, and the setters of an edit layout. */
export function useLayout(): LayoutApi {
  const api = useContext(LayoutContext);
  if (!api) throw new Error('useLayout() is only available inside a layout.');
  return api;
}

export function humanize(key: string): string {
  const text = key.replace(/[_-]+/g, ' ').trim().toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function titleOf(schema: Schema, name: string): string {
  const title = schema.properties?.[name]?.title;
  return typeof title === 'string' && title ? title : humanize(name);
}

/** How `Value` and `Table` show a value: ISO dates and times in the viewer's language. */
export function formatValue(value: unknown): string {
  return formatDataValue(value);
}

type SectionProps = { title?: string; description?: string; columns?: number; children?: ReactNode };

/** A titled group; `columns` lays its children out in a grid. */
export function Section({ title, description, columns = 1, children }: SectionProps) {
  const count = Math.min(Math.max(Math.round(columns), 1), 6);
  return (
    <section className="tf-section" aria-label={title}>
      {title && <h3 className="tf-section-title">{title}</h3>}
      {description && <p className="tf-section-description">{description}</p>}
      <div className="tf-grid" style={{ gridTemplateColumns: `repeat(${count}, minmax(0, 1fr))` }}>
        {children}
      </div>
    </section>
  );
}

type ValueProps = { name: string; label?: string; format?: (value: unknown) => ReactNode };

/** A read-only value of the data (a display layout's data, an edit layout's input data). */
export function Value({ name, label, format }: ValueProps) {
  const { data, value, schema, mode } = useLayout();
  const shown = name in data ? data[name] : mode === 'display' ? value[name] : undefined;
  return (
    <div className="tf-field">
      <span className="tf-value-label">{label ?? titleOf(schema, name)}</span>
      <span className="tf-value" data-field={name}>
        {format ? format(shown) : formatValue(shown)}
      </span>
    </div>
  );
}

type FieldProps = {
  name: string;
  label?: string;
  help?: string;
  /** How to edit it; the default follows the schema (checkbox, select, number, date, text). */
  widget?: 'text' | 'textarea' | 'select' | 'radio' | 'checkbox' | 'number' | 'date';
  placeholder?: string;
};

function widgetFor(property: Schema, asked: FieldProps['widget']): NonNullable<FieldProps['widget']> {
  if (asked) return asked;
  const type = Array.isArray(property.type) ? property.type[0] : property.type;
  if (Array.isArray(property.enum)) return 'select';
  if (type === 'boolean') return 'checkbox';
  if (type === 'number' || type === 'integer') return 'number';
  if (property.format === 'date') return 'date';
  if (typeof property.maxLength === 'number' && property.maxLength > 500) return 'textarea';
  return 'text';
}

/** One field of the form value, bound to its property in the schema: label, input, errors. */
export function Field({ name, label, help, widget, placeholder }: FieldProps) {
  const { schema, value, errors, disabled, mode, setValue } = useLayout();
  const id = useId();
  const property = schema.properties?.[name] ?? {};
  const title = label ?? titleOf(schema, name);
  const required = (schema.required ?? []).includes(name);
  const problems = errors[name] ?? [];
  const current = value[name];
  if (mode === 'display') return <Value name={name} label={label} />;

  const kind = widgetFor(property, widget);
  const errorId = problems.length > 0 ? `${id}-errors` : undefined;
  const helpText = help ?? property.description;
  const helpId = helpText ? `${id}-help` : undefined;
  const describedBy = [helpId, errorId].filter(Boolean).join(' ') || undefined;
  const integer = property.type === 'integer';
  const common = {
    id,
    disabled,
    'aria-invalid': problems.length > 0 || undefined,
    'aria-describedby': describedBy,
    'aria-required': required || undefined,
  };
  const setText = (text: string) => setValue(name, text === '' ? undefined : text);
  const mark = required ? (
    <span className="tf-required" aria-hidden="true">
      *
    </span>
  ) : null;

  let input: ReactNode;
  if (kind === 'checkbox') {
    return (
      <div className={`tf-field${problems.length ? ' tf-invalid' : ''}`}>
        <label className="tf-check" htmlFor={id}>
          <input
            {...common}
            type="checkbox"
            checked={current === true}
            onChange={(e) => setValue(name, e.target.checked)}
          />
          <span className="tf-label">
            {title}
            {mark}
          </span>
        </label>
        {helpText && (
          <span id={helpId} className="tf-help">
            {helpText}
          </span>
        )}
        <Errors id={errorId} problems={problems} />
      </div>
    );
  }
  if (kind === 'radio') {
    const options = property.enum ?? [];
    return (
      <fieldset className={`tf-field tf-radios${problems.length ? ' tf-invalid' : ''}`} aria-describedby={describedBy}>
        <legend className="tf-label">
          {title}
          {mark}
        </legend>
        {options.map((option) => (
          <label key={String(option)} className="tf-radio">
            <input
              type="radio"
              name={`${id}-${name}`}
              disabled={disabled}
              checked={current === option}
              onChange={() => setValue(name, option)}
            />
            {humanize(String(option))}
          </label>
        ))}
        {helpText && (
          <span id={helpId} className="tf-help">
            {helpText}
          </span>
        )}
        <Errors id={errorId} problems={problems} />
      </fieldset>
    );
  }
  if (kind === 'select') {
    const options = property.enum ?? [];
    const index = options.findIndex((option) => option === current);
    input = (
      <select
        {...common}
        className="tf-select"
        value={index < 0 ? '' : String(index)}
        onChange={(e) => setValue(name, e.target.value === '' ? undefined : options[Number(e.target.value)])}
      >
        <option value="">{placeholder ?? 'Choose…'}</option>
        {options.map((option, position) => (
          <option key={String(option)} value={String(position)}>
            {humanize(String(option))}
          </option>
        ))}
      </select>
    );
  } else if (kind === 'textarea') {
    input = (
      <textarea
        {...common}
        className="tf-textarea"
        placeholder={placeholder}
        value={typeof current === 'string' ? current : ''}
        onChange={(e) => setText(e.target.value)}
      />
    );
  } else if (kind === 'number') {
    input = (
      <input
        {...common}
        className="tf-input"
        type="number"
        step={integer ? 1 : 'any'}
        placeholder={placeholder}
        value={typeof current === 'number' ? String(current) : ''}
        onChange={(e) => setValue(name, e.target.value === '' ? undefined : Number(e.target.value))}
      />
    );
  } else {
    input = (
      <input
        {...common}
        className="tf-input"
        type={kind === 'date' ? 'date' : 'text'}
        placeholder={placeholder}
        value={typeof current === 'string' ? current : current === undefined ? '' : String(current)}
        onChange={(e) => setText(e.target.value)}
      />
    );
  }
  return (
    <div className={`tf-field${problems.length ? ' tf-invalid' : ''}`}>
      <label className="tf-label" htmlFor={id}>
        {title}
        {mark}
      </label>
      {input}
      {helpText && (
        <span id={helpId} className="tf-help">
          {helpText}
        </span>
      )}
      <Errors id={errorId} problems={problems} />
    </div>
  );
}

function Errors({ id, problems }: { id: string | undefined; problems: string[] }) {
  if (problems.length === 0) return null;
  return (
    <div id={id}>
      {problems.map((problem) => (
        <p key={problem} className="tf-error">
          {problem}
        </p>
      ))}
    </div>
  );
}

type Column<Row> = { key: string; title?: string; render?: (row: Row, index: number) => ReactNode };

type TableProps<Row> = { rows: Row[]; columns?: Column<Row>[]; empty?: string; caption?: string };

/** Rows of objects as a table; columns default to the first row's keys. */
export function Table<Row extends Record<string, unknown>>({
  rows,
  columns,
  empty = 'Nothing yet.',
  caption,
}: TableProps<Row>) {
  const list = Array.isArray(rows) ? rows : [];
  if (list.length === 0) return <p className="tf-empty">{empty}</p>;
  const cols: Column<Row>[] = columns ?? Object.keys(list[0] ?? {}).map((key) => ({ key }));
  return (
    <table className="tf-table">
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          {cols.map((col) => (
            <th key={col.key} scope="col">
              {col.title ?? humanize(col.key)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {list.map((row, index) => (
          <tr key={index}>
            {cols.map((col) => (
              <td key={col.key}>{col.render ? col.render(row, index) : formatValue(row[col.key])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const TONES: Record<string, 'success' | 'danger' | 'info' | 'warning'> = {
  COMPLETED: 'success',
  DONE: 'success',
  APPROVED: 'success',
  RESOLVED: 'success',
  ERROR: 'danger',
  FAILED: 'danger',
  REJECTED: 'danger',
  CANCELLED: 'danger',
  INCIDENT: 'danger',
  IN_PROGRESS: 'info',
  ASSIGNED: 'info',
  RUNNING: 'info',
  OPEN: 'info',
  PENDING: 'warning',
  ON_HOLD: 'warning',
  WAITING: 'warning',
};

type StatusBadgeProps = {
  status: string;
  tone?: 'success' | 'danger' | 'info' | 'warning' | 'neutral';
  label?: string;
};

/** A status as a coloured pill; the colour follows the usual TicketFlower statuses. */
export function StatusBadge({ status, tone, label }: StatusBadgeProps) {
  const chosen = tone ?? TONES[String(status).toUpperCase()] ?? 'neutral';
  return <span className={`tf-badge tf-badge-${chosen}`}>{label ?? humanize(String(status))}</span>;
}

type NoticeProps = { tone?: 'info' | 'warning' | 'danger'; children?: ReactNode };

/** A short highlighted message. */
export function Notice({ tone = 'info', children }: NoticeProps) {
  return <div className={`tf-notice tf-notice-${tone}`}>{children}</div>;
}
