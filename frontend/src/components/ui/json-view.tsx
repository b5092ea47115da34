/** Read-only JSON, for data the app has no dedicated layout for. */
export function JsonView({ value, label }: { value: unknown; label: string }) {
  return (
    <pre
      aria-label={label}
      tabIndex={0}
      className="max-h-96 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs text-slate-800"
    >
      {JSON.stringify(value ?? null, null, 2)}
    </pre>
  );
}
