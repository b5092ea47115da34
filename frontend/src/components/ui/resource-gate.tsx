import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { StatusPage } from '@/components/errors/status-page';
import { buttonClassName } from '@/components/ui/button';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { queryErrorMessage, queryErrorStatus } from '@/lib/query';

type ResourceGateProps<T> = {
  resource: Pick<UseQueryResult<T>, 'data' | 'error' | 'refetch'>;
  loadingLabel: string;
  /** What the page shows; a 404 (another company's record, or none) says "Not found". */
  thing: string;
  children: (data: T) => ReactNode;
};

/** Loading, not-found and error states for a page showing one record. */
export function ResourceGate<T>({ resource, loadingLabel, thing, children }: ResourceGateProps<T>) {
  // A failed background refresh keeps the record on screen (it is read again soon).
  if (resource.error && resource.data === undefined && queryErrorStatus(resource.error) === 404) {
    return (
      <StatusPage
        code="404"
        title="Not found"
        actions={
          <Link to={paths.dashboard} className={buttonClassName()}>
            Go to the dashboard
          </Link>
        }
      >
        <p>This {thing} does not exist, or you do not have access to it.</p>
      </StatusPage>
    );
  }
  if (resource.error && resource.data === undefined) {
    return <ErrorState message={queryErrorMessage(resource.error) ?? ''} onRetry={() => void resource.refetch()} />;
  }
  if (resource.data === undefined) return <LoadingState label={loadingLabel} />;
  return <>{children(resource.data)}</>;
}
