import { formatDateTime, formatRelative } from '@/lib/format';

type TimestampProps = {
  value: string | null | undefined;
  /** `relative` reads "5 minutes ago" (the exact time on hover); `both` adds the exact time. */
  mode?: 'absolute' | 'relative' | 'both';
  className?: string;
};

/** A moment as people read it, in their language and time zone, never raw ISO text. */
export function Timestamp({ value, mode = 'both', className }: TimestampProps) {
  if (!value) return <span className={className}>—</span>;
  const exact = formatDateTime(value);
  const text =
    mode === 'absolute' ? exact : mode === 'relative' ? formatRelative(value) : `${exact} · ${formatRelative(value)}`;
  return (
    <time dateTime={value} title={exact} className={className}>
      {text}
    </time>
  );
}
