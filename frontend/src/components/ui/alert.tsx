import type { ReactNode } from 'react';

import styles from './alert.module.css';

type AlertProps = {
  tone: 'error' | 'success' | 'info';
  title?: string;
  children?: ReactNode;
};

/** Errors are announced at once (role="alert"); other news politely (role="status"). */
export function Alert({ tone, title, children }: AlertProps) {
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} className={`${styles.alert} ${styles[tone]}`}>
      {title && <p className={styles.title}>{title}</p>}
      {children && <div>{children}</div>}
    </div>
  );
}
