import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

import type { OperatorSession } from '@/features/operator/types/operator';

type OperatorSessionValue = {
  session: OperatorSession | null;
  signIn: (session: OperatorSession) => void;
  signOut: () => void;
};

const OperatorSessionContext = createContext<OperatorSessionValue | null>(null);

/** The operator's session, kept in memory only: a reload or an expired token means signing in
 * again (operator tokens are short-lived and have no refresh). */
export function OperatorSessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<OperatorSession | null>(null);
  const signIn = useCallback((next: OperatorSession) => setSession(next), []);
  const signOut = useCallback(() => setSession(null), []);
  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return <OperatorSessionContext.Provider value={value}>{children}</OperatorSessionContext.Provider>;
}

export function useOperatorSession(): OperatorSessionValue {
  const value = useContext(OperatorSessionContext);
  if (!value) throw new Error('useOperatorSession needs an OperatorSessionProvider');
  return value;
}
