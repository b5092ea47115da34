import { Link } from 'react-router';

import { Card } from '@/components/ui/card';
import { paths } from '@/config/paths';
import type { User } from '@/types/api';

function RoleList({ roles, label }: { roles: string[]; label: string }) {
  if (roles.length === 0) return <span className="text-slate-500">None</span>;
  return (
    <ul aria-label={label} className="flex flex-wrap gap-1.5">
      {roles.map((role) => (
        <li key={role} className="rounded-full bg-slate-100 px-2.5 py-0.5 text-xs font-medium text-slate-700">
          {role}
        </li>
      ))}
    </ul>
  );
}

export function UserSummary({ user }: { user: User }) {
  return (
    <Card title="Your account">
      <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium text-slate-500">Name</dt>
        <dd className="text-slate-900">
          {user.first_name} {user.last_name}
        </dd>
        <dt className="font-medium text-slate-500">Email</dt>
        <dd className="break-all text-slate-900">{user.email}</dd>
        <dt className="font-medium text-slate-500">System roles</dt>
        <dd>
          <RoleList roles={user.system_roles} label="System roles" />
        </dd>
        <dt className="font-medium text-slate-500">Company roles</dt>
        <dd>
          <RoleList roles={user.company_roles} label="Company roles" />
        </dd>
      </dl>
      <p className="mt-4 text-sm">
        <Link to={paths.profile} className="font-medium text-indigo-700 hover:underline">
          Edit your profile
        </Link>
      </p>
    </Card>
  );
}
