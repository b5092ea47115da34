import { useId } from 'react';

import styles from './field.module.css';

export type CheckboxOption = {
  value: string;
  label: string;
  description?: string;
};

type CheckboxGroupProps = {
  legend: string;
  name: string;
  options: readonly CheckboxOption[];
  value: readonly string[];
  onChange: (value: string[]) => void;
  error?: string;
  hint?: string;
  disabled?: boolean;
};

export function CheckboxGroup({ legend, name, options, value, onChange, error, hint, disabled }: CheckboxGroupProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;

  const toggle = (option: string, checked: boolean) => {
    // Keep the options' order so the request body does not depend on click order.
    const next = new Set(value);
    if (checked) next.add(option);
    else next.delete(option);
    onChange(options.map((o) => o.value).filter((v) => next.has(v)));
  };

  return (
    <fieldset className={styles.fieldset} aria-describedby={describedBy} disabled={disabled}>
      <legend className={`${styles.label} ${styles.legend}`}>{legend}</legend>
      {hint && (
        <p id={hintId} className={`${styles.hint} mb-2`}>
          {hint}
        </p>
      )}
      <div className={styles.options}>
        {options.map((option) => (
          <label key={option.value} className={styles.option}>
            <input
              type="checkbox"
              name={name}
              value={option.value}
              checked={value.includes(option.value)}
              onChange={(event) => toggle(option.value, event.target.checked)}
              aria-invalid={error ? true : undefined}
              className={styles.checkbox}
            />
            <span className={styles.optionText}>
              <span className="font-medium">{option.label}</span>
              {option.description && <span className={styles.hint}>{option.description}</span>}
            </span>
          </label>
        ))}
      </div>
      {error && (
        <p id={errorId} className={`${styles.error} mt-2`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
