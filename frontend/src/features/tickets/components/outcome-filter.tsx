import { SelectField } from '@/components/ui/select-field';
import { useOutcomes } from '@/features/tickets/hooks/use-outcomes';

type OutcomeFilterProps = { value: string; onChange: (value: string) => void };

/** Narrows a ticket list to one outcome, among those the caller's tickets ended with. */
export function OutcomeFilter({ value, onChange }: OutcomeFilterProps) {
  const outcomes = useOutcomes();
  const known = outcomes.data ?? [];
  // A chosen outcome stays offered while the list loads (or after its last ticket went).
  const options =
    value && !known.some((o) => o.key === value) ? [{ key: value, label: value, tickets: 0 }, ...known] : known;
  return (
    <SelectField
      label="Outcome"
      name="outcome"
      value={value}
      onChange={onChange}
      hint={outcomes.isError ? 'The outcomes could not be loaded.' : undefined}
      options={[
        { value: '', label: 'Any outcome' },
        ...options.map((o) => ({ value: o.key, label: o.tickets ? `${o.label} (${o.tickets})` : o.label })),
      ]}
    />
  );
}
