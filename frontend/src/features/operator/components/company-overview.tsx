import { useState } from 'react';
import { Link } from 'react-router';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { DetailsList } from '@/components/ui/details-list';
import { PageHeader } from '@/components/ui/page-header';
import { ResourceGate } from '@/components/ui/resource-gate';
import { paths } from '@/config/paths';
import { CompanyStatusPill } from '@/features/operator/components/status-pill';
import { useCompanyStatusChange, useOperatorCompany } from '@/features/operator/hooks/use-operator-query';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { errorMessage } from '@/lib/api-error';
import { formatDateTime } from '@/lib/format';

/** One company as the operator sees it: status and counts, and the switch to suspend it. */
export function CompanyOverviewView({ companyId }: { companyId: string }) {
  const company = useOperatorCompany(companyId);
  const statusChange = useCompanyStatusChange(companyId);
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const busy = statusChange.isPending;
  useDocumentTitle(company.data?.name ?? 'Company');

  const change = (action: 'suspend' | 'reactivate') => {
    setMessage(null);
    statusChange.mutate(action, {
      onSuccess: () =>
        setMessage({
          tone: 'success',
          text:
            action === 'suspend'
              ? 'The company is suspended: its users are signed out and cannot sign in.'
              : 'The company is active again: its users may sign in.',
        }),
      onError: (error) => setMessage({ tone: 'error', text: errorMessage(error) }),
      onSettled: () => setConfirming(false),
    });
  };

  return (
    <ResourceGate resource={company} loadingLabel="Loading the company…" thing="company">
      {(data) => (
        <>
          <p className="mb-2 text-sm">
            <Link to={paths.operator} className="text-indigo-700 hover:underline">
              ← All companies
            </Link>
          </p>
          <PageHeader
            title={data.name}
            description={
              <span className="flex items-center gap-2">
                <CompanyStatusPill status={data.status} /> <code className="text-xs">{data.id}</code>
              </span>
            }
          />
          {message && <Alert tone={message.tone}>{message.text}</Alert>}
          <div className="mt-4 grid gap-6 lg:grid-cols-2">
            <Card title="Company">
              <DetailsList
                items={[
                  ['Created', formatDateTime(data.created_at)],
                  ['Status', data.status === 'active' ? 'Active' : 'Suspended'],
                  ['Suspended since', data.suspended_at ? formatDateTime(data.suspended_at) : '—'],
                  ['Users', `${data.counts.users} (${data.counts.active_users} active)`],
                  ['Admins', String(data.counts.admins)],
                  ['Company roles', String(data.counts.company_roles)],
                ]}
              />
            </Card>
            <Card
              title={data.status === 'active' ? 'Suspend the company' : 'Reactivate the company'}
              description={
                data.status === 'active'
                  ? 'Its users are signed out at once and cannot sign in until it is reactivated. Nothing is deleted.'
                  : 'Its users may sign in again; sessions the suspension ended stay ended.'
              }
            >
              {data.status === 'active' ? (
                confirming ? (
                  <div className="flex flex-wrap gap-2">
                    <Button variant="danger" loading={busy} onClick={() => change('suspend')}>
                      Yes, suspend {data.name}
                    </Button>
                    <Button variant="ghost" onClick={() => setConfirming(false)}>
                      Cancel
                    </Button>
                  </div>
                ) : (
                  <Button variant="secondary" onClick={() => setConfirming(true)}>
                    Suspend…
                  </Button>
                )
              ) : (
                <Button loading={busy} onClick={() => change('reactivate')}>
                  Reactivate
                </Button>
              )}
            </Card>
          </div>
        </>
      )}
    </ResourceGate>
  );
}
