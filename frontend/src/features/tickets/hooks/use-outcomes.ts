import { useQuery } from '@tanstack/react-query';

import { listOutcomes } from '@/features/tickets/api/tickets';

/** The outcomes the caller's tickets ended with: the choices of an outcome filter. */
export function useOutcomes() {
  return useQuery({ queryKey: ['tickets', 'outcomes'], queryFn: ({ signal }) => listOutcomes(signal) });
}
