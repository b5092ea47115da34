import { useId, useRef, type KeyboardEvent } from 'react';

export type TabItem<K extends string> = { key: K; label: string };

type TabsProps<K extends string> = {
  label: string;
  tabs: readonly TabItem<K>[];
  selected: K;
  onSelect: (key: K) => void;
  /** id prefix so a panel can point back at its tab (`${idBase}-tab-${key}`). */
  idBase?: string;
};

/** WAI-ARIA tabs: arrow keys move between tabs, the panel follows the selection. */
export function Tabs<K extends string>({ label, tabs, selected, onSelect, idBase }: TabsProps<K>) {
  const generated = useId();
  const base = idBase ?? generated;
  const list = useRef<HTMLDivElement>(null);

  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = tabs[(index + step + tabs.length) % tabs.length];
    if (!next) return;
    onSelect(next.key);
    list.current?.querySelector<HTMLButtonElement>(`#${CSS.escape(`${base}-tab-${next.key}`)}`)?.focus();
  };

  return (
    <div ref={list} role="tablist" aria-label={label} className="mb-4 flex flex-wrap gap-1 border-b border-slate-200">
      {tabs.map((tab, index) => {
        const active = tab.key === selected;
        return (
          <button
            key={tab.key}
            id={`${base}-tab-${tab.key}`}
            type="button"
            role="tab"
            aria-selected={active}
            tabIndex={active ? 0 : -1}
            onClick={() => onSelect(tab.key)}
            onKeyDown={(event) => onKeyDown(event, index)}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
              active
                ? 'border-indigo-600 text-indigo-700'
                : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900'
            }`}
          >
            {tab.label}
          </button>
        );
      })}
    </div>
  );
}
