import { Link } from 'react-router';

import { paths } from '@/config/paths';
import { FirstSteps } from '@/features/dashboard/components/first-steps';
import { RequesterPanel } from '@/features/dashboard/components/requester-panel';
import { TeamPanel } from '@/features/dashboard/components/team-panel';
import { WorkerPanel } from '@/features/dashboard/components/worker-panel';
import { useEngineOverview, useTicketOverview } from '@/features/dashboard/hooks/use-dashboard';
import type { User } from '@/types/api';

function Section({
  id,
  title,
  children,
  action,
}: {
  id: string;
  title: string;
  children: React.ReactNode;
  action?: React.ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="flex flex-col gap-3">
      <div className="flex items-baseline justify-between gap-4">
        <h2 id={id} className="text-lg font-semibold text-slate-900">
          {title}
        </h2>
        {action}
      </div>
      {children}
    </section>
  );
}

function TeamSection({ isAdmin }: { isAdmin: boolean }) {
  const tickets = useTicketOverview();
  const engine = useEngineOverview();
  return (
    <>
      {isAdmin && tickets.data?.total === 0 && <FirstSteps />}
      <Section
        id="team-heading"
        title="Your company this week"
        action={
          <Link to={paths.reports} className="text-sm font-medium text-indigo-700 hover:underline">
            Reports →
          </Link>
        }
      >
        <TeamPanel tickets={tickets} engine={engine} />
      </Section>
    </>
  );
}

/** One section per role the user holds: the team's figures, their tasks, their tickets. */
export function Dashboard({ user }: { user: User }) {
  const roles = user.system_roles;
  const isAdmin = roles.includes('admin');
  const isTeam = isAdmin || roles.includes('ticket_admin');
  const isWorker = roles.includes('task_worker');
  return (
    <div className="flex flex-col gap-8">
      {isTeam && <TeamSection isAdmin={isAdmin} />}
      {isWorker && (
        <Section id="work-heading" title="My work">
          <WorkerPanel />
        </Section>
      )}
      <RequesterPanel />
    </div>
  );
}
