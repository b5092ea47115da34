import { Link } from 'react-router';

import { paths, sampleBundleHref } from '@/config/paths';

type Step = { title: string; text: string; to: string; action: string; also?: { to: string; action: string } };

const STEPS: Step[] = [
  {
    title: 'Invite your colleagues',
    text: 'Add the people who submit tickets and the task workers who handle them.',
    to: paths.adminUserNew,
    action: 'Invite a user',
  },
  {
    title: 'Define a workflow',
    text: 'Upload a bundle of ticket types, workflows and tasks, or start from the sample IT onboarding workflow.',
    to: sampleBundleHref,
    action: 'Start from the sample',
    also: { to: paths.definitionsUpload, action: 'Upload your own' },
  },
  {
    title: 'Submit a first ticket',
    text: 'Try the workflow yourself: submit a ticket and follow it through its tasks.',
    to: paths.submitTicket,
    action: 'Submit a ticket',
  },
];

/** Shown to an admin while the company has no ticket at all. */
export function FirstSteps() {
  return (
    <section
      aria-labelledby="first-steps-heading"
      className="rounded-lg border border-indigo-200 bg-indigo-50 p-4 sm:p-6"
    >
      <h2 id="first-steps-heading" className="text-lg font-semibold text-slate-900">
        First steps
      </h2>
      <p className="mt-1 text-sm text-slate-700">Your company has no tickets yet. Three steps get it going:</p>
      <ol className="mt-4 grid gap-4 md:grid-cols-3">
        {STEPS.map((step, index) => (
          <li key={step.title} className="flex flex-col gap-2 rounded-md bg-white p-4 shadow-sm">
            <span className="text-sm font-semibold text-indigo-700">Step {index + 1}</span>
            <span className="font-semibold text-slate-900">{step.title}</span>
            <span className="flex-1 text-sm text-slate-600">{step.text}</span>
            <span className="flex flex-wrap gap-x-4 gap-y-1">
              <Link to={step.to} className="text-sm font-medium text-indigo-700 hover:underline">
                {step.action} →
              </Link>
              {step.also && (
                <Link to={step.also.to} className="text-sm font-medium text-indigo-700 hover:underline">
                  {step.also.action} →
                </Link>
              )}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
