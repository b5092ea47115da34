import { Link } from 'react-router';

import { navigationFor } from '@/config/navigation';
import type { User } from '@/types/api';

/** One card per part of the app the user's system roles open. */
export function QuickLinks({ user }: { user: User }) {
  const items = navigationFor(user);
  return (
    <section aria-labelledby="quick-links-heading">
      <h2 id="quick-links-heading" className="mb-3 text-lg font-semibold text-slate-900">
        Where to go
      </h2>
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {items.map((item) => (
          <li key={item.to}>
            <Link
              to={item.to}
              className="flex h-full flex-col gap-1 rounded-lg border border-slate-200 bg-white p-4 shadow-sm transition-colors hover:border-indigo-400 hover:bg-indigo-50"
            >
              <span className="font-semibold text-indigo-700">{item.label}</span>
              <span className="text-sm text-slate-600">{item.description}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
