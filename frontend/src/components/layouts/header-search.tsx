import { useId, useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';

import { paths } from '@/config/paths';

/** One search box over tickets and tasks; the results page asks each service. */
export function HeaderSearch({ onSearch }: { onSearch?: () => void }) {
  const [params] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const navigate = useNavigate();
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const q = text.trim();
    if (!q) return;
    navigate(`${paths.search}?${new URLSearchParams({ q }).toString()}`);
    onSearch?.();
  };
  return (
    <form role="search" onSubmit={submit} className="w-full">
      <label htmlFor={id} className="sr-only">
        Search tickets and tasks
      </label>
      <input
        id={id}
        type="search"
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder="Search tickets and tasks"
        maxLength={200}
        className="w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-1.5 text-sm text-slate-900 placeholder:text-slate-500 focus:border-indigo-500 focus:bg-white focus:outline-none focus:ring-2 focus:ring-indigo-200"
      />
    </form>
  );
}
