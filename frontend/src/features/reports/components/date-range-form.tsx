import { useState, type FormEvent } from 'react';

import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import type { DateRangeQuery } from '@/features/reports/types/reports';

export function daysBack(days: number, today = new Date()): DateRangeQuery {
  const to = today.toISOString().slice(0, 10);
  const from = new Date(today.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

type DateRangeFormProps = {
  value: DateRangeQuery;
  onChange: (range: DateRangeQuery) => void;
};

/** From/to as UTC calendar days; the services validate the range and say what is wrong. */
export function DateRangeForm({ value, onChange }: DateRangeFormProps) {
  const [draft, setDraft] = useState(value);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(draft);
  };
  const preset = (days: number) => {
    const range = daysBack(days);
    setDraft(range);
    onChange(range);
  };
  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-3" aria-label="Date range">
      <div className="w-44">
        <TextField
          label="From"
          name="from"
          type="date"
          value={draft.from}
          onChange={(from) => setDraft({ ...draft, from })}
        />
      </div>
      <div className="w-44">
        <TextField label="To" name="to" type="date" value={draft.to} onChange={(to) => setDraft({ ...draft, to })} />
      </div>
      <Button type="submit">Apply</Button>
      <div className="flex gap-1" role="group" aria-label="Presets">
        {[7, 30, 90].map((days) => (
          <Button key={days} type="button" variant="ghost" size="small" onClick={() => preset(days)}>
            Last {days} days
          </Button>
        ))}
      </div>
    </form>
  );
}
