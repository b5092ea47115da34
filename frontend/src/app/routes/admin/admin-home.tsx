import { Link } from 'react-router';

import { PageHeader } from '@/components/ui/page-header';
import { paths } from '@/config/paths';
import { useDocumentTitle } from '@/hooks/use-document-title';

const SECTIONS = [
  {
    to: paths.adminCompany,
    label: 'Company',
    description: "The company's name, contact and time zone; its users and roles at a glance.",
  },
  {
    to: paths.adminUsers,
    label: 'Users',
    description: 'Invite people, edit their details and roles, deactivate accounts.',
  },
  {
    to: paths.adminCompanyRoles,
    label: 'Company roles',
    description: 'Group users by what they may submit: create, rename and delete roles.',
  },
  {
    to: paths.adminIntegrations,
    label: 'Integrations and settings',
    description: 'Ingest keys, action signing secret and allowlist.',
  },
  {
    to: paths.adminAssignment,
    label: 'Assignment rules',
    description: 'Who receives each form task: strategies per company and task, groups of workers.',
  },
  {
    to: paths.reports,
    label: 'Reports',
    description: 'Tickets per day, resolution times, time per task, throughput, action failures.',
  },
];

export function AdminHomeRoute() {
  useDocumentTitle('Admin');
  return (
    <>
      <PageHeader title="Admin" description="Manage who works in your company and what they may do." />
      <ul className="grid gap-4 sm:grid-cols-2">
        {SECTIONS.map((section) => (
          <li key={section.to}>
            <Link
              to={section.to}
              className="flex h-full flex-col gap-1 rounded-lg border border-slate-200 bg-white p-4 shadow-sm hover:border-indigo-400 hover:bg-indigo-50"
            >
              <span className="font-semibold text-indigo-700">{section.label}</span>
              <span className="text-sm text-slate-600">{section.description}</span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
