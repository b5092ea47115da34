import { useQuery } from '@tanstack/react-query';
import { useEffect, useReducer, useRef } from 'react';

import { LayoutForm } from '@/components/custom-layout/custom-layout';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { FormError } from '@/components/ui/form-error';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { TextField } from '@/components/ui/text-field';
import { listSubmittableTypes, submitTicket } from '@/features/tickets/api/tickets';
import { initialSubmitTicketState, submitTicketReducer } from '@/features/tickets/hooks/submit-ticket-reducer';
import type { SubmittableTicketType, TicketDetail } from '@/features/tickets/types/tickets';
import { ApiError, errorMessage, fieldNameFromLoc } from '@/lib/api-error';
import { errorTreeFrom } from '@/lib/error-schema';

import styles from '@/components/ui/field.module.css';

function TypePicker({
  types,
  selected,
  onSelect,
}: {
  types: SubmittableTicketType[];
  selected: string | null;
  onSelect: (key: string) => void;
}) {
  return (
    <fieldset className={styles.fieldset}>
      <legend className={`${styles.label} ${styles.legend}`}>Ticket type</legend>
      <div className={styles.options}>
        {types.map((type) => (
          <label key={type.key} className={styles.option}>
            <input
              type="radio"
              name="ticket_type"
              value={type.key}
              checked={selected === type.key}
              onChange={() => onSelect(type.key)}
              className={styles.checkbox}
            />
            <span className={styles.optionText}>
              <span className="font-medium">{type.name}</span>
              {type.description && <span className={styles.hint}>{type.description}</span>}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function titleErrorFrom(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  return error.problem.errors.find((entry) => fieldNameFromLoc(entry.loc) === 'title')?.msg ?? null;
}

/** Pick a ticket type the user may submit and fill in the form generated from its fields. */
export function SubmitTicket({ onSubmitted }: { onSubmitted: (ticket: TicketDetail) => void }) {
  const types = useQuery({
    queryKey: ['tickets', 'ticket-types'],
    queryFn: ({ signal }) => listSubmittableTypes(signal),
  });
  const [state, dispatch] = useReducer(submitTicketReducer, initialSubmitTicketState);
  // One key per submission: sending the same content again (after an error or a lost answer)
  // reuses it, so the server creates at most one ticket; other content gets a fresh key.
  const attempt = useRef<{ key: string; content: string } | null>(null);
  const only = types.data?.length === 1 ? types.data[0] : undefined;

  useEffect(() => {
    if (only && state.selectedKey === null) dispatch({ type: 'typeSelected', key: only.key });
  }, [only, state.selectedKey]);

  if (types.isError) return <ErrorState message={errorMessage(types.error)} onRetry={() => void types.refetch()} />;
  if (!types.data) return <LoadingState label="Loading ticket types…" />;
  if (types.data.length === 0) {
    return (
      <EmptyState title="No ticket types to submit">
        Your company has no ticket types you may submit yet. Ask a workflow designer or an admin.
      </EmptyState>
    );
  }

  const selected = types.data.find((type) => type.key === state.selectedKey) ?? null;

  const submit = async (ticketData: Record<string, unknown>) => {
    if (!selected || state.submitting) return;
    if (state.title.trim() === '') {
      dispatch({ type: 'rejected', titleError: 'Title is required.', serverErrors: null, formError: null });
      return;
    }
    dispatch({ type: 'submitted' });
    const submission = { ticket_type_key: selected.key, title: state.title.trim(), ticket_data: ticketData };
    const content = JSON.stringify(submission);
    if (attempt.current?.content !== content) attempt.current = { key: crypto.randomUUID(), content };
    try {
      onSubmitted(await submitTicket(submission, attempt.current.key));
      attempt.current = null;
    } catch (error) {
      const placed = errorTreeFrom(error, ['body', 'ticket_data']);
      const titleError = titleErrorFrom(error);
      const unplaced = (placed?.unplaced ?? []).filter((msg) => msg !== titleError);
      const formError = unplaced.length > 0 ? unplaced.join(' ') : placed || titleError ? null : errorMessage(error);
      dispatch({ type: 'rejected', titleError, serverErrors: placed?.tree ?? null, formError });
    }
  };

  return (
    <div className="flex max-w-3xl flex-col gap-6">
      {types.data.length > 1 && (
        <TypePicker
          types={types.data}
          selected={state.selectedKey}
          onSelect={(key) => dispatch({ type: 'typeSelected', key })}
        />
      )}
      {selected ? (
        <Card title={selected.name} description={selected.description || undefined}>
          <div className="flex flex-col gap-4">
            <TextField
              label="Title"
              name="title"
              value={state.title}
              required
              hint="A short summary others will recognise the ticket by."
              error={state.titleError ?? undefined}
              onChange={(title) => dispatch({ type: 'titleChanged', title })}
            />
            <FormError message={state.formError} />
            <LayoutForm
              key={selected.key}
              title={`${selected.name} form`}
              idPrefix="ticket"
              schema={selected.fields}
              layout={selected.edit_layout}
              formData={state.ticketData}
              serverErrors={state.serverErrors}
              disabled={state.submitting}
              onChange={(ticketData) => dispatch({ type: 'dataChanged', ticketData })}
              onSubmit={(ticketData) => void submit(ticketData)}
            >
              <Button type="submit" loading={state.submitting}>
                Submit ticket
              </Button>
            </LayoutForm>
          </div>
        </Card>
      ) : (
        <p className="text-sm text-slate-600">Choose a ticket type to see its form.</p>
      )}
    </div>
  );
}
