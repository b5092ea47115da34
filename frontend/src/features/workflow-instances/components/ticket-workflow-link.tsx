import { Link } from 'react-router';

import { buttonClassName } from '@/components/ui/button';
import { StatusBadge } from '@/components/ui/status-badge';
import { instanceHref } from '@/config/paths';
import { findInstanceForTicket } from '@/features/workflow-instances/api/instances';
import { useResource } from '@/hooks/use-resource';

/** For the ticket team: the ticket's workflow instance, with a link to manage it. */
export function TicketWorkflowLink({ ticketId }: { ticketId: string }) {
  const instance = useResource((signal) => findInstanceForTicket(ticketId, signal), [ticketId]);
  if (instance.status === 'error') return <p className="text-sm text-red-700">{instance.error}</p>;
  if (instance.status === 'loading' && !instance.data) return <p className="text-sm text-slate-600">Looking up…</p>;
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
