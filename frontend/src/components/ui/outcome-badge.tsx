/** The resolution a finished workflow ended with. */
export type Outcome = { key: string; label: string; message?: string | null };

// Outcome keys are the designer's own; the usual words get a colour, anything else a neutral
// one. The label always says what it is, colour only helps.
const POSITIVE = /^(approved?|accepted|granted|done|resolved|fulfilled|completed|success)/;
const NEGATIVE = /^(rejected|refused|declined|denied|failed|cancell?ed|withdrawn)/;

export function outcomeTone(key: string): 'positive' | 'negative' | 'neutral' {
  if (POSITIVE.test(key)) return 'positive';
  if (NEGATIVE.test(key)) return 'negative';
  return 'neutral';
}

const TONES = {
  positive: 'bg-green-100 text-green-800 ring-green-600/20',
  negative: 'bg-red-100 text-red-800 ring-red-600/20',
  neutral: 'bg-violet-100 text-violet-800 ring-violet-600/20',
} as const;

/** The outcome a finished ticket ended with, as a pill. */
export function OutcomeBadge({ outcome }: { outcome: Outcome }) {
  return (
    <span
      data-testid="ticket-outcome"
      data-outcome={outcome.key}
      className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap ring-1 ring-inset ${TONES[outcomeTone(outcome.key)]}`}
    >
      {outcome.label}
    </span>
  );
}

const PANEL_TONES = {
  positive: 'border-green-200 bg-green-50',
  negative: 'border-red-200 bg-red-50',
  neutral: 'border-violet-200 bg-violet-50',
} as const;

/** The outcome with its message, at the top of a finished ticket. */
export function OutcomePanel({ outcome }: { outcome: Outcome }) {
  return (
    <section
      aria-label="Outcome"
      data-testid="ticket-outcome-panel"
      className={`rounded-lg border p-4 ${PANEL_TONES[outcomeTone(outcome.key)]}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="text-sm font-semibold text-slate-900">Outcome</h2>
        <OutcomeBadge outcome={outcome} />
      </div>
      {outcome.message && (
        <p className="mt-2 text-sm whitespace-pre-line text-slate-800" data-testid="ticket-outcome-message">
          {outcome.message}
        </p>
      )}
    </section>
  );
}
