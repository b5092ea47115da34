import { useState } from 'react';

import { Button } from '@/components/ui/button';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { getPreferences, savePreferences } from '@/features/notifications/api/notifications';
import type { NotificationPreference } from '@/features/notifications/types/notifications';
import { useResource } from '@/hooks/use-resource';
import { errorMessage } from '@/lib/api-error';

/** Per kind of notification: shown in the app, sent by email, both or neither. */
export function NotificationPreferences() {
  const saved = useResource((signal) => getPreferences(signal), []);
  if (saved.status === 'error') return <ErrorState message={saved.error ?? ''} onRetry={saved.reload} />;
  if (!saved.data) return <LoadingState label="Loading your settings…" />;
  return <PreferencesForm saved={saved.data} onSaved={saved.replace} />;
}

type PreferencesFormProps = {
  saved: NotificationPreference[];
  onSaved: (preferences: NotificationPreference[]) => void;
};

function PreferencesForm({ saved, onSaved }: PreferencesFormProps) {
  const [draft, setDraft] = useState<NotificationPreference[]>(saved);
  const [state, setState] = useState<{ saving: boolean; message: string | null; error: string | null }>({
    saving: false,
    message: null,
    error: null,
  });

  const change = (kind: string, field: 'in_app' | 'email', value: boolean) => {
    setState((s) => ({ ...s, message: null }));
    setDraft((rows) => rows.map((row) => (row.kind === kind ? { ...row, [field]: value } : row)));
  };

  async function save() {
    setState({ saving: true, message: null, error: null });
    try {
      const answer = await savePreferences(draft.map(({ kind, in_app, email }) => ({ kind, in_app, email })));
      onSaved(answer);
      setDraft(answer);
      setState({ saving: false, message: 'Saved.', error: null });
    } catch (error) {
      setState({ saving: false, message: null, error: errorMessage(error) });
    }
  }

  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
          <caption className="sr-only">Notification settings</caption>
          <thead className="bg-slate-50 text-xs font-semibold tracking-wide text-slate-600 uppercase">
            <tr>
              <th scope="col" className="px-4 py-3">
                Tell me when
              </th>
              <th scope="col" className="px-4 py-3 text-center">
                In the app
              </th>
              <th scope="col" className="px-4 py-3 text-center">
                By email
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {draft.map((row) => (
              <tr key={row.kind}>
                <th scope="row" className="px-4 py-2.5 font-normal text-slate-800">
                  {row.label}
                </th>
                <td className="px-4 py-2.5 text-center">
                  <input
                    type="checkbox"
                    className="h-4 w-4"
                    aria-label={`${row.label}: in the app`}
                    checked={row.in_app}
                    onChange={(event) => change(row.kind, 'in_app', event.target.checked)}
                  />
                </td>
                <td className="px-4 py-2.5 text-center">
                  <input
                    type="checkbox"
                    className="h-4 w-4"
                    aria-label={`${row.label}: by email`}
                    checked={row.email}
                    onChange={(event) => change(row.kind, 'email', event.target.checked)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" loading={state.saving}>
          Save settings
        </Button>
        {state.message && (
          <p role="status" className="text-sm text-green-700">
            {state.message}
          </p>
        )}
        {state.error && (
          <p role="alert" className="text-sm text-red-700">
            {state.error}
          </p>
        )}
      </div>
    </form>
  );
}
