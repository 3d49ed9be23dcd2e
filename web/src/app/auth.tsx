// Who is signed in, what they may do, and the CSRF token that goes with their session.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Me } from '@contracts/auth.ts';
import type { Permission } from '@contracts/permissions.ts';
import { authApi, type SessionInfo } from '../api/auth.ts';
import { ApiError, configureClient, setCsrfToken } from '../api/client.ts';
import { invalidateUnitTree } from '../hooks/useUnitTree.ts';

interface AuthValue {
  /** undefined while the first `me` is in flight, null when nobody is signed in */
  me: Me | null | undefined;
  /** the user signed out themselves (so the login page should not send them back where they were) */
  signedOut: boolean;
  can: (permission: Permission) => boolean;
  acceptSession: (info: SessionInfo) => void;
  refresh: () => Promise<Me | null>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [signedOut, setSignedOut] = useState(false);

  const acceptSession = useCallback((info: SessionInfo) => {
    setCsrfToken(info.csrfToken);
    setSignedOut(false);
    setMe(info.account);
  }, []);

  const clear = useCallback(() => {
    setCsrfToken(null);
    invalidateUnitTree(); // the next account may see other units
    setMe(null);
  }, []);

  const refresh = useCallback(async () => {
    try {
      const info = await authApi.me();
      acceptSession(info);
      return info.account;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        clear();
        return null;
      }
      throw e;
    }
  }, [acceptSession, clear]);

  const logout = useCallback(async () => {
    try {
      await authApi.logout();
    } catch {
      // the server may already have ended it; locally the session ends either way
    } finally {
      setSignedOut(true);
      clear();
    }
  }, [clear]);

  useEffect(() => {
    // An expired session anywhere sends the user to the login page (the router redirects on null).
    configureClient({ onUnauthenticated: clear });
    refresh().catch(() => setMe(null));
  }, [clear, refresh]);

  const value = useMemo<AuthValue>(() => {
    const perms = new Set(me?.permissions ?? []);
    return { me, signedOut, can: (p) => perms.has(p), acceptSession, refresh, logout };
  }, [me, signedOut, acceptSession, refresh, logout]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

/** The signed-in account; only for components under the authenticated layout. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe without a session');
  return me;
}

export function useCan(): (permission: Permission) => boolean {
  return useAuth().can;
}
