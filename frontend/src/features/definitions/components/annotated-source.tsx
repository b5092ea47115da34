import { Fragment } from 'react';

import type { Problem } from '@/features/definitions/types/definitions';

type AnnotatedSourceProps = {
  text: string;
  byLine: Map<number, Problem[]>;
  warningsByLine: Map<number, Problem[]>;
};

/** The checked bundle, line by line, with each problem shown under the line it concerns. */
export function AnnotatedSource({ text, byLine, warningsByLine }: AnnotatedSourceProps) {
  const lines = text.split('\n');
  return (
    <div
      className="max-h-[36rem] overflow-auto rounded-md border border-slate-200 bg-white font-mono text-xs"
      tabIndex={0}
      aria-label="Checked bundle with its problems"
    >
      <table className="w-full border-collapse">
        <tbody>
          {lines.map((line, index) => {
            const number = index + 1;
            const errors = byLine.get(number) ?? [];
            const warnings = warningsByLine.get(number) ?? [];
            return (
              <Fragment key={number}>
                <tr
                  id={`bundle-line-${number}`}
                  className={errors.length > 0 ? 'bg-red-50' : warnings.length > 0 ? 'bg-amber-50' : undefined}
                >
                  <td className="w-10 pr-2 text-right align-top text-slate-400 select-none">{number}</td>
                  <td className="pr-2 whitespace-pre text-slate-800">{line || ' '}</td>
                </tr>
                {[...errors.map((p) => ['error', p] as const), ...warnings.map((p) => ['warning', p] as const)].map(
                  ([kind, problem], i) => (
                    <tr key={`${number}-${kind}-${i}`} data-problem-path={problem.path}>
                      <td />
                      <td
                        className={`px-2 py-1 font-sans text-xs ${
                          kind === 'error' ? 'bg-red-100 text-red-900' : 'bg-amber-100 text-amber-900'
                        }`}
                      >
                        <span className="font-semibold">{kind === 'error' ? 'Error' : 'Warning'}</span> at{' '}
                        <code>{problem.path}</code>: {problem.msg}
                      </td>
                    </tr>
                  ),
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
