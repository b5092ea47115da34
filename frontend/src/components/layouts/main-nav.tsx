import { NavLink } from 'react-router';

import { navigationFor } from '@/config/navigation';
import { paths } from '@/config/paths';
import type { User } from '@/types/api';

import styles from './main-nav.module.css';

type MainNavProps = {
  user: User;
  orientation?: 'horizontal' | 'vertical';
  onNavigate?: () => void;
  label?: string;
};

/** The links the user's system roles open; the same rules guard the routes themselves. */
export function MainNav({ user, orientation = 'horizontal', onNavigate, label = 'Main' }: MainNavProps) {
  const links = [{ label: 'Dashboard', to: paths.dashboard }, ...navigationFor(user)];
  return (
    <nav aria-label={label}>
      <ul className={[styles.list, orientation === 'vertical' && styles.vertical].filter(Boolean).join(' ')}>
        {links.map((link) => (
          <li key={link.to}>
            <NavLink to={link.to} end className={styles.link} onClick={onNavigate}>
              {link.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
