import { useEffect, type DependencyList } from 'react';

import { useOperatorSession } from '@/features/operator/hooks/operator-session';
import { useResource } from '@/hooks/use-resource';

/** Loads with the operator's token; a 401 (the token expired) ends the operator session. */
export function useOperatorResource<T>(load: (token: string, signal: AbortSignal) => Promise<T>, deps: DependencyList) {
  const { session, signOut } = useOperatorSession();
  const token = session?.access_token ?? '';
  const resource = useResource((signal) => load(token, signal), [token, ...deps]);
  useEffect(() => {
    if (resource.errorStatus === 401) signOut();
  }, [resource.errorStatus, signOut]);
  return resource;
}
