import { useCallback, useState } from 'react';
import { ApiFailure } from './api';

/**
 * Runs one user action: busy while it runs (buttons disable, no double submit), the server's
 * refusal kept to show beside the control that caused it, cleared by the next attempt.
 */
export function useAction(): { run: <T>(f: () => Promise<T>) => Promise<T | undefined>; busy: boolean; error: ApiFailure | null; clear: () => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiFailure | null>(null);
  const run = useCallback(async <T,>(f: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await f();
    } catch (e) {
      setError(ApiFailure.of(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { run, busy, error, clear: () => setError(null) };
}
