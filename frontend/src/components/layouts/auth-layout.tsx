import type { ReactNode } from 'react';

import { Brand } from '@/components/layouts/brand';
import { SkipLink } from '@/components/layouts/skip-link';

type AuthLayoutProps = {
  title: string;
  description?: string;
  children: ReactNode;
  footer?: ReactNode;
};

/** The centred card used by the pages a signed-out visitor sees. */
export function AuthLayout({ title, description, children, footer }: AuthLayoutProps) {
  return (
    <div className="flex min-h-screen flex-col items-center px-4 py-10 sm:py-16">
      <SkipLink />
      <header className="mb-8">
        <Brand />
      </header>
      <main
        id="main"
        tabIndex={-1}
        className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8"
      >
        <h1 className="text-2xl font-bold tracking-tight text-slate-900">{title}</h1>
        {description && <p className="mt-2 text-sm text-slate-600">{description}</p>}
        <div className="mt-6">{children}</div>
      </main>
      {footer && <footer className="mt-6 text-center text-sm text-slate-600">{footer}</footer>}
    </div>
  );
}
