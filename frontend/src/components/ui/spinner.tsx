import styles from './spinner.module.css';

type SpinnerProps = {
  size?: 'normal' | 'small';
  /** Decorative spinners sit next to text that already says what is happening. */
  decorative?: boolean;
  label?: string;
};

export function Spinner({ size = 'normal', decorative = false, label = 'Loading' }: SpinnerProps) {
  const className = [styles.spinner, size === 'small' && styles.small].filter(Boolean).join(' ');
  if (decorative) return <span className={className} aria-hidden="true" />;
  return <span className={className} role="img" aria-label={label} />;
}
