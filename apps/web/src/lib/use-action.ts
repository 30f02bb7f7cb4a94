import { useCallback, useRef, useState } from 'react';
import { ApiFailure } from './api';

/**
 * Runs one user action: busy while it runs (buttons disable, no double submit), the server's
 * refusal kept to show beside the control that caused it, cleared by the next attempt. Only the
 * latest attempt speaks: an older one that ends later (a request from before a reconnection)
 * neither clears nor sets what the page shows.
 */
export function useAction(): { run: <T>(f: () => Promise<T>) => Promise<T | undefined>; busy: boolean; error: ApiFailure | null } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiFailure | null>(null);
  const latest = useRef(0);
  const run = useCallback(async <T>(f: () => Promise<T>): Promise<T | undefined> => {
    const attempt = ++latest.current;
    setBusy(true);
    setError(null);
    try {
      return await f();
    } catch (e) {
      if (attempt === latest.current) setError(ApiFailure.of(e));
      return undefined;
    } finally {
      if (attempt === latest.current) setBusy(false);
    }
  }, []);
  return { run, busy, error };
}
