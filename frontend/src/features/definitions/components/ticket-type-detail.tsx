import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';

import { Card } from '@/components/ui/card';
import { DetailsList } from '@/components/ui/details-list';
import { JsonView } from '@/components/ui/json-view';
import { PageHeader } from '@/components/ui/page-header';
import { ResourceGate } from '@/components/ui/resource-gate';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { workflowHref } from '@/config/paths';
import { getTicketType, getTicketTypeVersion } from '@/features/definitions/api/definitions';
import { VersionDiff } from '@/features/definitions/components/version-diff';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { errorMessage } from '@/lib/api-error';
import { formatDateTime } from '@/lib/format';

function VersionView({ typeKey, version }: { typeKey: string; version: number }) {
  const detail = useQuery({
    queryKey: ['definitions', 'ticket-types', 'version', typeKey, version],
    queryFn: ({ signal }) => getTicketTypeVersion(typeKey, version, signal),
  });
  if (detail.isError) return <ErrorState message={errorMessage(detail.error)} onRetry={() => void detail.refetch()} />;
  if (!detail.data) return <LoadingState label="Loading the version…" />;
  const v = detail.data;
  return (
    <div className="flex flex-col gap-4">
      <DetailsList
        items={[
          ['Name', v.name],
          ['Prefix', v.prefix],
          [
            'Starts workflow',
            <Link
              key="w"
              to={workflowHref(v.workflow_key)}
              className="text-indigo-700 underline"
            >{`${v.workflow_key}${v.workflow_version ? ` v${v.workflow_version}` : ' (latest)'}`}</Link>,
          ],
          ['Who may submit', (v.company_role_access ?? []).join(', ')],
          ['Published', formatDateTime(v.created_at)],
        ]}
      />
      <h3 className="text-sm font-semibold">Field schema</h3>
      <JsonView label="Field schema" value={v.fields} />
    </div>
  );
}

export function TicketTypeDetailView({ typeKey }: { typeKey: string }) {
  const type = useQuery({
    queryKey: ['definitions', 'ticket-types', typeKey],
    queryFn: ({ signal }) => getTicketType(typeKey, signal),
  });
  const [version, setVersion] = useState<number | null>(null);
  useDocumentTitle(type.data?.name ?? 'Ticket type');
  return (
    <ResourceGate resource={type} loadingLabel="Loading the ticket type…" thing="ticket type">
      {(data) => {
        const shown = version ?? data.latest_version;
        return (
          <>
            <PageHeader
              title={data.name}
              description={
                <>
                  <code>{data.key}</code> · latest version {data.latest_version}
                  {data.archived && ' · archived'} · {data.description}
                </>
              }
            />
            <div className="grid gap-6 lg:grid-cols-[1fr_18rem]">
              <Card title={`Version ${shown}`}>
                <VersionView typeKey={data.key} version={shown} />
              </Card>
              <Card title="Version history">
                <ol className="flex flex-col gap-1 text-sm">
                  {data.versions.map((v) => (
                    <li key={v.id}>
                      <button
                        type="button"
                        className={`text-left underline ${v.version === shown ? 'font-semibold text-slate-900' : 'text-indigo-700'}`}
                        aria-current={v.version === shown ? 'true' : undefined}
                        onClick={() => setVersion(v.version)}
                      >
                        Version {v.version}
                      </button>{' '}
                      <span className="text-slate-600">{formatDateTime(v.created_at)}</span>
                    </li>
                  ))}
                </ol>
              </Card>
            </div>
            <div className="mt-6">
              <Card title="Compare versions">
                <VersionDiff kind="ticket-type" definitionKey={data.key} versions={data.versions} />
              </Card>
            </div>
          </>
        );
      }}
    </ResourceGate>
  );
}
