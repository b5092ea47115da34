import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';

import { buttonClassName } from '@/components/ui/button';
import { StatusBadge } from '@/components/ui/status-badge';
import { instanceHref } from '@/config/paths';
import { findInstanceForTicket } from '@/features/workflow-instances/api/instances';
import { errorMessage } from '@/lib/api-error';

/** For the ticket team: the ticket's workflow instance, with a link to manage it. */
export function TicketWorkflowLink({ ticketId }: { ticketId: string }) {
  const instance = useQuery({
    queryKey: ['engine', 'instances', 'for-ticket', ticketId],
    queryFn: ({ signal }) => findInstanceForTicket(ticketId, signal),
  });
  if (instance.isError) return <p className="text-sm text-red-700">{errorMessage(instance.error)}</p>;
  if (instance.isFetching && !instance.data) return <p className="text-sm text-slate-600">Looking up…</p>;
  if (!instance.data) return <p className="text-sm text-slate-600">The workflow has not started yet.</p>;
  return (
    <div className="flex flex-col gap-3 text-sm">
      <p className="flex flex-wrap items-center gap-2">
        <StatusBadge status={instance.data.status} />
        {instance.data.current_task && <span>Current task: {instance.data.current_task.name}</span>}
      </p>
      <Link to={instanceHref(instance.data.id)} className={buttonClassName({ variant: 'secondary', size: 'small' })}>
        Open the workflow
      </Link>
    </div>
  );
}
