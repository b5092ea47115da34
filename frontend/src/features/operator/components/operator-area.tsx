import { Navigate, Outlet, useLocation } from 'react-router';

import { buttonClassName } from '@/components/ui/button';
import { paths } from '@/config/paths';
import { OperatorSessionProvider, useOperatorSession } from '@/features/operator/hooks/operator-session';

function OperatorFrame() {
  const { session, signOut } = useOperatorSession();
  const { pathname } = useLocation();
  const onLogin = pathname === paths.operatorLogin;
  if (!session && !onLogin) return <Navigate to={paths.operatorLogin} replace />;
  if (session && onLogin) return <Navigate to={paths.operator} replace />;
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-slate-900 text-white">
        <div className="mx-auto flex max-w-6xl items-center gap-4 px-4 py-3 sm:px-6">
          <span className="flex items-center gap-2 font-bold">
            <img src="/favicon.svg" alt="" width={24} height={24} />
            TicketFlower <span className="font-normal text-slate-300">platform console</span>
          </span>
          {session && (
            <div className="ml-auto flex items-center gap-3 text-sm">
              <span className="text-slate-300">{session.operator.email}</span>
              <button
                type="button"
                className={buttonClassName({ variant: 'secondary', size: 'small' })}
                onClick={signOut}
              >
                Sign out
              </button>
            </div>
          )}
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
        <Outlet />
      </main>
    </div>
  );
}

/** The platform operators' part of the app: its own session and frame, nothing of a company's. */
export function OperatorArea() {
  return (
    <OperatorSessionProvider>
      <OperatorFrame />
    </OperatorSessionProvider>
  );
}
