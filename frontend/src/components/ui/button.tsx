import type { ButtonHTMLAttributes } from 'react';

import { Spinner } from '@/components/ui/spinner';

import styles from './button.module.css';

/**
 * `danger` is for the confirming click of a destructive action; the button that only asks
 * (Deactivate, Archive, Revoke) is `dangerOutline`, no heavier than its neighbours.
 */
export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'dangerOutline' | 'ghost';

type ButtonStyle = {
  variant?: ButtonVariant;
  size?: 'normal' | 'small';
  block?: boolean;
};

export function buttonClassName({ variant = 'primary', size = 'normal', block = false }: ButtonStyle = {}): string {
  return [styles.button, styles[variant], size === 'small' && styles.small, block && styles.block]
    .filter(Boolean)
    .join(' ');
}

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> &
  ButtonStyle & {
    /** Shows a spinner and blocks further clicks while an action runs. */
    loading?: boolean;
  };

export function Button({
  variant,
  size,
  block,
  loading = false,
  disabled,
  type = 'button',
  className,
  children,
  ...rest
}: ButtonProps) {
  return (
    <button
      {...rest}
      type={type}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
      className={[buttonClassName({ variant, size, block }), className].filter(Boolean).join(' ')}
    >
      {loading && <Spinner size="small" decorative />}
      {children}
    </button>
  );
}
