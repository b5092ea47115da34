import { useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { TextField } from '@/components/ui/text-field';
import {
  addAllowlistEntry,
  createIngestKey,
  getSigningSecret,
  listAllowlist,
  listIngestKeys,
  listRejections,
  removeAllowlistEntry,
  revokeIngestKey,
  rotateIngestKey,
  rotateSigningSecret,
} from '@/features/integrations/api/integrations';
import type { IngestKeySecret } from '@/features/integrations/types/integrations';
import { errorMessage } from '@/lib/api-error';
import { formatDateTime, humanize } from '@/lib/format';

type Work = { action: string; work: () => Promise<string | null> };

/**
 * A panel's actions, one at a time: a mutation whose success reads the panel's records
 * (`invalidates`) again and whose answer (a notice) or problem is shown under the panel.
 */
function useActions(invalidates: QueryKey[]) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: ({ work }: Work) => work(),
    onSuccess: () => Promise.all(invalidates.map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
  const run = (action: string, work: () => Promise<string | null>) =>
    mutation.mutateAsync({ action, work }).catch(() => undefined);
  const state = { running: mutation.isPending ? mutation.variables.action : null };
  const feedback: ReactNode = (
    <>
      {mutation.isError && <Alert tone="error">{errorMessage(mutation.error)}</Alert>}
      {mutation.isSuccess && mutation.data && <Alert tone="success">{mutation.data}</Alert>}
    </>
  );
  return { state, run, feedback };
}

function SecretOnce({ secret }: { secret: IngestKeySecret }) {
  return (
    <Alert tone="info" title={`Secret for “${secret.name}” — copy it now, it is not shown again`}>
      <code className="block break-all select-all">{secret.secret}</code>
      <span className="block text-xs">
        Sign messages with it in <code>{secret.signature_header}</code> and send the key id <code>{secret.id}</code> in{' '}
        <code>{secret.key_id_header}</code>.
      </span>
    </Alert>
  );
}

export function IngestKeysPanel() {
  const keys = useQuery({ queryKey: ['tickets', 'ingest-keys'], queryFn: ({ signal }) => listIngestKeys(signal) });
  const [page, setPage] = useState(1);
  const rejections = useQuery({
    queryKey: ['tickets', 'rejections', page],
    queryFn: ({ signal }) => listRejections(page, signal),
  });
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<IngestKeySecret | null>(null);
  const { state, run, feedback } = useActions([['tickets', 'ingest-keys']]);

  const create = () =>
    run('create', async () => {
      if (!name.trim()) throw new Error('Name the key.');
      setSecret(await createIngestKey(name.trim()));
      setName('');
      return null;
    });

  return (
    <Card title="Ingest keys" description="External systems sign the tickets they send with one of these keys.">
      <div className="flex flex-col gap-4">
        <form
          className="flex flex-col gap-2 sm:flex-row sm:items-end"
          onSubmit={(event) => {
            event.preventDefault();
            void create();
          }}
        >
          <div className="flex-1">
            <TextField label="New key name" name="key_name" value={name} onChange={setName} />
          </div>
          <Button type="submit" loading={state.running === 'create'}>
            Create key
          </Button>
        </form>
        {secret && <SecretOnce secret={secret} />}
        {feedback}
        {keys.isError && <ErrorState message={errorMessage(keys.error)} onRetry={() => void keys.refetch()} />}
        {!keys.data && keys.isFetching && <LoadingState label="Loading keys…" />}
        {keys.data?.length === 0 && <p className="text-sm text-slate-600">No keys yet.</p>}
        {keys.data && keys.data.length > 0 && (
          <ul className="divide-y divide-slate-100 rounded-md border border-slate-200 text-sm">
            {keys.data.map((key) => (
              <li key={key.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
                <span>
                  <span className="font-medium">{key.name}</span> · generation {key.generation} · fingerprint{' '}
                  <code>{key.secret_fingerprint}</code>
                  <span className="block text-xs text-slate-600">
                    {key.revoked_at
                      ? `Revoked ${formatDateTime(key.revoked_at)}`
                      : `Last used ${formatDateTime(key.last_used_at)}`}
                  </span>
                </span>
                {!key.revoked_at && (
                  <span className="flex gap-2">
                    <Button
                      size="small"
                      variant="secondary"
                      loading={state.running === `rotate-${key.id}`}
                      onClick={() =>
                        void run(`rotate-${key.id}`, async () => {
                          setSecret(await rotateIngestKey(key.id));
                          return null;
                        })
                      }
                    >
                      Rotate
                    </Button>
                    <Button
                      size="small"
                      variant="dangerOutline"
                      loading={state.running === `revoke-${key.id}`}
                      onClick={() =>
                        void run(`revoke-${key.id}`, async () => {
                          await revokeIngestKey(key.id);
                          return `${key.name} was revoked.`;
                        })
                      }
                    >
                      Revoke
                    </Button>
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
        <h3 className="text-sm font-semibold">Refused inbound tickets</h3>
        {rejections.isError && (
          <ErrorState message={errorMessage(rejections.error)} onRetry={() => void rejections.refetch()} />
        )}
        {rejections.data?.items.length === 0 && <p className="text-sm text-slate-600">None refused.</p>}
        {rejections.data && rejections.data.items.length > 0 && (
          <>
            <ul className="flex flex-col gap-2 text-sm">
              {rejections.data.items.map((r) => (
                <li key={r.id} className="rounded-md border border-slate-200 p-2">
                  <span className="font-medium">{humanize(r.reason)}</span> · {formatDateTime(r.received_at)}
                  <span className="block text-slate-700">{r.detail}</span>
                  <code className="block truncate text-xs text-slate-500">{r.body_excerpt}</code>
                </li>
              ))}
            </ul>
            {rejections.data.total > rejections.data.page_size && (
              <div className="flex gap-2">
                <Button size="small" variant="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                  Previous
                </Button>
                <Button
                  size="small"
                  variant="secondary"
                  disabled={page * rejections.data.page_size >= rejections.data.total}
                  onClick={() => setPage(page + 1)}
                >
                  Next
                </Button>
              </div>
            )}
          </>
        )}
      </div>
    </Card>
  );
}

export function SigningSecretPanel() {
  const secret = useQuery({
    queryKey: ['actions', 'signing-secret'],
    queryFn: ({ signal }) => getSigningSecret(signal),
  });
  const queryClient = useQueryClient();
  const [shown, setShown] = useState(false);
  const { state, run, feedback } = useActions([]);
  return (
    <Card
      title="Action signing secret"
      description="Every outbound action call is signed with this secret (Standard Webhooks), so receiving systems can verify it."
    >
      {secret.isError && <ErrorState message={errorMessage(secret.error)} onRetry={() => void secret.refetch()} />}
      {!secret.data && secret.isFetching && <LoadingState label="Loading the secret…" />}
      {secret.data && (
        <div className="flex flex-col gap-3 text-sm">
          <code className="block break-all rounded bg-slate-50 p-2">{shown ? secret.data.secret : '•'.repeat(24)}</code>
          <p className="text-slate-600">
            Headers: {secret.data.signature_headers.join(', ')} · rotated {formatDateTime(secret.data.rotated_at)}
            {secret.data.previous_valid_until &&
              ` · previous secret valid until ${formatDateTime(secret.data.previous_valid_until)}`}
          </p>
          <div className="flex gap-2">
            <Button size="small" variant="secondary" onClick={() => setShown(!shown)}>
              {shown ? 'Hide' : 'Show'}
            </Button>
            <Button
              size="small"
              variant="dangerOutline"
              loading={state.running === 'rotate'}
              onClick={() =>
                void run('rotate', async () => {
                  queryClient.setQueryData(['actions', 'signing-secret'], await rotateSigningSecret());
                  return 'The secret was rotated; calls carry both signatures during the grace period.';
                })
              }
            >
              Rotate
            </Button>
          </div>
          {feedback}
        </div>
      )}
    </Card>
  );
}

export function AllowlistPanel() {
  const entries = useQuery({ queryKey: ['actions', 'allowlist'], queryFn: ({ signal }) => listAllowlist(signal) });
  const [entry, setEntry] = useState('');
  const [note, setNote] = useState('');
  const { state, run, feedback } = useActions([['actions', 'allowlist']]);
  return (
    <Card
      title="Private targets allowlist"
      description="Actions may not call private, loopback or link-local addresses unless they are listed here."
    >
      <div className="flex flex-col gap-4">
        <form
          className="grid gap-2 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
          onSubmit={(event) => {
            event.preventDefault();
            void run('add', async () => {
              await addAllowlistEntry(entry.trim(), note.trim());
              setEntry('');
              setNote('');
              return 'Added.';
            });
          }}
        >
          <TextField
            label="CIDR block or host"
            name="entry"
            value={entry}
            onChange={setEntry}
            placeholder="10.1.0.0/16"
          />
          <TextField label="Note" name="note" value={note} onChange={setNote} />
          <Button type="submit" loading={state.running === 'add'}>
            Add
          </Button>
        </form>
        {feedback}
        {entries.isError && <ErrorState message={errorMessage(entries.error)} onRetry={() => void entries.refetch()} />}
        {entries.data?.length === 0 && (
          <EmptyState title="Nothing allowed">Only public addresses can be called.</EmptyState>
        )}
        {entries.data && entries.data.length > 0 && (
          <ul className="divide-y divide-slate-100 rounded-md border border-slate-200 text-sm">
            {entries.data.map((e) => (
              <li key={e.id} className="flex items-center justify-between gap-2 px-3 py-2">
                <span>
                  <code>{e.entry}</code> ({e.kind}) {e.note && `· ${e.note}`}
                </span>
                <Button
                  size="small"
                  variant="ghost"
                  loading={state.running === e.id}
                  aria-label={`Remove ${e.entry}`}
                  onClick={() =>
                    void run(e.id, async () => {
                      await removeAllowlistEntry(e.id);
                      return `${e.entry} was removed.`;
                    })
                  }
                >
                  Remove
                </Button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}
