import { Link } from 'react-router';

import { paths } from '@/config/paths';

export function Brand() {
  return (
    <Link to={paths.dashboard} className="flex items-center gap-2 rounded-md font-bold text-slate-900 no-underline">
      <img src="/favicon.svg" alt="" width={28} height={28} />
      <span className="text-lg tracking-tight">TicketFlower</span>
    </Link>
  );
}
