import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { Button } from '@/components/ui/button';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { getPreferences, savePreferences } from '@/features/notifications/api/notifications';
import type { NotificationPreference } from '@/features/notifications/types/notifications';
import { errorMessage } from '@/lib/api-error';

/** Per kind of notification: shown in the app, sent by email, both or neither. */
const PREFERENCES_KEY = ['identity', 'notifications', 'preferences'] as const;

export function NotificationPreferences() {
  const saved = useQuery({ queryKey: PREFERENCES_KEY, queryFn: ({ signal }) => getPreferences(signal) });
  if (saved.isError) return <ErrorState message={errorMessage(saved.error)} onRetry={() => void saved.refetch()} />;
  if (!saved.data) return <LoadingState label="Loading your settings…" />;
  return <PreferencesForm saved={saved.data} />;
}

function PreferencesForm({ saved }: { saved: NotificationPreference[] }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<NotificationPreference[]>(saved);
  const [message, setMessage] = useState<string | null>(null);
  const saving = useMutation({
    mutationFn: (rows: NotificationPreference[]) =>
      savePreferences(rows.map(({ kind, in_app, email }) => ({ kind, in_app, email }))),
    onMutate: () => setMessage(null),
    onSuccess: (answer) => {
      queryClient.setQueryData(PREFERENCES_KEY, answer);
      setDraft(answer);
      setMessage('Saved.');
    },
  });

  const change = (kind: string, field: 'in_app' | 'email', value: boolean) => {
    setMessage(null);
    setDraft((rows) => rows.map((row) => (row.kind === kind ? { ...row, [field]: value } : row)));
  };

  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        saving.mutate(draft);
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
        <Button type="submit" loading={saving.isPending}>
          Save settings
        </Button>
        {message && (
          <p role="status" className="text-sm text-green-700">
            {message}
          </p>
        )}
        {saving.isError && (
          <p role="alert" className="text-sm text-red-700">
            {errorMessage(saving.error)}
          </p>
        )}
      </div>
    </form>
  );
}
