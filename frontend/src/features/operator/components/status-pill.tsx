import type { CompanyStatus } from '@/features/operator/types/operator';

export function CompanyStatusPill({ status }: { status: CompanyStatus }) {
  const tone =
    status === 'active'
      ? 'bg-emerald-50 text-emerald-800 ring-emerald-200'
      : 'bg-amber-50 text-amber-900 ring-amber-300';
  return (
    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${tone}`}>
      {status === 'active' ? 'Active' : 'Suspended'}
    </span>
  );
}
