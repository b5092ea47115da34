import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { Link, Outlet, useLocation } from 'react-router';

import { Brand } from '@/components/layouts/brand';
import { HeaderSearch } from '@/components/layouts/header-search';
import { MainNav } from '@/components/layouts/main-nav';
import { SkipLink } from '@/components/layouts/skip-link';
import { buttonClassName } from '@/components/ui/button';
import { paths } from '@/config/paths';
import { useCurrentUser } from '@/lib/auth';

type AppLayoutProps = {
  /** Shown in the header beside the user's name on every page (the notification bell). */
  headerAction?: ReactNode;
  /** The page; the matched route when absent. */
  children?: ReactNode;
};

/** The signed-in shell: header, navigation and the page. */
export function AppLayout({ headerAction, children }: AppLayoutProps) {
  const user = useCurrentUser();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuId = useId();
  const { pathname } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const previousPath = useRef(pathname);

  // After client-side navigation, move focus to the new page so screen readers start there
  // instead of staying on the link that was activated.
  useEffect(() => {
    if (previousPath.current === pathname) return;
    previousPath.current = pathname;
    mainRef.current?.focus();
  }, [pathname]);

  const closeMenu = () => setMenuOpen(false);

  return (
    <div className="min-h-screen">
      <SkipLink />
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center gap-4 px-4 py-3 sm:px-6">
          <Brand />
          <div className="hidden max-w-md flex-1 sm:block">
            <HeaderSearch />
          </div>
          <div className="ml-auto flex items-center gap-2">
            {headerAction}
            <div className="hidden items-center gap-2 xl:flex">
              <Link
                to={paths.profile}
                className="rounded-md px-2 py-1 text-sm font-medium text-slate-700 hover:underline"
              >
                {user.first_name} {user.last_name}
              </Link>
              <Link to={paths.logout} className={buttonClassName({ variant: 'secondary', size: 'small' })}>
                Sign out
              </Link>
            </div>
            {/* The button's own display rule would win over `xl:hidden` on it, so a wrapper hides it. */}
            <div className="xl:hidden">
              <button
                type="button"
                className={buttonClassName({ variant: 'secondary', size: 'small' })}
                aria-expanded={menuOpen}
                aria-controls={menuId}
                onClick={() => setMenuOpen((open) => !open)}
              >
                {menuOpen ? 'Close menu' : 'Menu'}
              </button>
            </div>
          </div>
        </div>
        <div className="mx-auto hidden max-w-6xl px-4 pb-2 sm:px-6 xl:block">
          <MainNav user={user} />
        </div>
        <div id={menuId} hidden={!menuOpen} className="border-t border-slate-200 px-4 py-3 xl:hidden">
          <div className="mb-3 sm:hidden">
            <HeaderSearch onSearch={closeMenu} />
          </div>
          <MainNav user={user} orientation="vertical" onNavigate={closeMenu} label="Main (menu)" />
          <div className="mt-3 flex flex-wrap items-center gap-2 border-t border-slate-200 pt-3">
            <Link
              to={paths.profile}
              onClick={closeMenu}
              className={buttonClassName({ variant: 'ghost', size: 'small' })}
            >
              Profile
            </Link>
            <Link to={paths.logout} className={buttonClassName({ variant: 'secondary', size: 'small' })}>
              Sign out
            </Link>
          </div>
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
        {children ?? <Outlet />}
      </main>
    </div>
  );
}
