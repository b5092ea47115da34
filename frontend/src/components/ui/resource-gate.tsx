import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { StatusPage } from '@/components/errors/status-page';
import { buttonClassName } from '@/components/ui/button';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import type { ResourceState } from '@/hooks/resource-reducer';

type ResourceGateProps<T> = {
  resource: ResourceState<T> & { reload: () => void };
  loadingLabel: string;
  /** What the page shows; a 404 (another company's record, or none) says "Not found". */
  thing: string;
  children: (data: T) => ReactNode;
};

/** Loading, not-found and error states for a page showing one record. */
export function ResourceGate<T>({ resource, loadingLabel, thing, children }: ResourceGateProps<T>) {
  if (resource.status === 'error' && resource.errorStatus === 404) {
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
  if (resource.status === 'error') {
    return <ErrorState message={resource.error ?? ''} onRetry={resource.reload} />;
  }
  if (resource.data === null) return <LoadingState label={loadingLabel} />;
  return <>{children(resource.data)}</>;
}
