import { useState } from 'react';
import { Link } from 'react-router';

import { Button } from '@/components/ui/button';
import { Pagination } from '@/components/ui/pagination';
import { SelectField } from '@/components/ui/select-field';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { TextField } from '@/components/ui/text-field';
import { operatorCompanyHref } from '@/config/paths';
import { CompanyStatusPill } from '@/features/operator/components/status-pill';
import { useOperatorCompanies } from '@/features/operator/hooks/use-operator-query';
import type { CompanyStatus } from '@/features/operator/types/operator';
import { errorMessage } from '@/lib/api-error';
import { formatDateTime } from '@/lib/format';

const PAGE_SIZE = 25;

/** Every company on the platform, searchable by name and filtered by status. */
export function CompanyList() {
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<CompanyStatus | ''>('');
  const [page, setPage] = useState(1);
  const rows = useOperatorCompanies({ q: q || undefined, status: status || undefined, page, page_size: PAGE_SIZE });

  let body;
  if (rows.isError) body = <ErrorState message={errorMessage(rows.error)} onRetry={() => void rows.refetch()} />;
  else if (!rows.data) body = <LoadingState label="Loading companies…" />;
  else if (rows.data.items.length === 0) body = <EmptyState title={q ? `No company matches “${q}”` : 'No companies'} />;
  else
    body = (
      <>
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
            <caption className="sr-only">Companies</caption>
            <thead className="bg-slate-50 text-xs font-semibold tracking-wide text-slate-600 uppercase">
              <tr>
                <th scope="col" className="px-4 py-3">
                  Company
                </th>
                <th scope="col" className="px-4 py-3">
                  Status
                </th>
                <th scope="col" className="hidden px-4 py-3 md:table-cell">
                  Created
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.data.items.map((company) => (
                <tr key={company.id} className="hover:bg-slate-50">
                  <td className="px-4 py-3">
                    <Link to={operatorCompanyHref(company.id)} className="font-medium text-indigo-700 hover:underline">
                      {company.name}
                    </Link>
                  </td>
                  <td className="px-4 py-3">
                    <CompanyStatusPill status={company.status} />
                  </td>
                  <td className="hidden px-4 py-3 md:table-cell">{formatDateTime(company.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Pagination
          page={page}
          pageSize={rows.data.page_size}
          total={rows.data.total}
          itemLabel="companies"
          onPageChange={setPage}
        />
      </>
    );

  return (
    <div className="flex flex-col gap-4">
      <form
        role="search"
        className="flex flex-col gap-2 sm:flex-row sm:items-end"
        onSubmit={(event) => {
          event.preventDefault();
          setPage(1);
          setQ(search.trim());
        }}
      >
        <div className="flex-1">
          <TextField
            label="Search companies"
            name="q"
            type="search"
            placeholder="Name"
            value={search}
            onChange={setSearch}
          />
        </div>
        <div className="sm:w-44">
          <SelectField
            label="Status"
            name="status"
            value={status}
            onChange={(value) => {
              setPage(1);
              setStatus(value as CompanyStatus | '');
            }}
            options={[
              { value: '', label: 'Any' },
              { value: 'active', label: 'Active' },
              { value: 'suspended', label: 'Suspended' },
            ]}
          />
        </div>
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      {body}
    </div>
  );
}
