import type { ReactNode } from 'react';

type StatusPageProps = {
  code: string;
  title: string;
  children: ReactNode;
  actions: ReactNode;
};

export function StatusPage({ code, title, children, actions }: StatusPageProps) {
  return (
    <div className="mx-auto flex max-w-lg flex-col items-center gap-4 py-16 text-center">
      <p className="text-sm font-semibold tracking-widest text-indigo-600">{code}</p>
      <h1 className="text-3xl font-bold tracking-tight text-slate-900">{title}</h1>
      <div className="text-slate-600">{children}</div>
      <div className="flex flex-wrap justify-center gap-3">{actions}</div>
    </div>
  );
}
