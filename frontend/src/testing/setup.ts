import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

import { accessTokenStore } from '@/lib/token-store';

afterEach(() => {
  cleanup();
  accessTokenStore.clear();
  localStorage.clear();
});
