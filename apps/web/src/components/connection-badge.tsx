import { useSyncExternalStore } from 'react';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages.en';

const subscribeNetwork = (l: () => void) => {
  window.addEventListener('online', l);
  window.addEventListener('offline', l);
  return () => {
    window.removeEventListener('online', l);
    window.removeEventListener('offline', l);
  };
};

/**
 * What the badge says of the session's socket: connected (and joined), on its way (connecting,
 * joining), reconnecting after a drop, or offline when the browser has no network at all. It says
 * "connected" only once the server has let this page join, never from a guess.
 */
export function connectionBadge(connection: string, network: boolean): { key: MessageKey; tone: 'online' | 'pending' | 'offline' } {
  if (connection === 'online') return { key: 'conn.online', tone: 'online' };
  if (!network) return { key: 'conn.noNetwork', tone: 'offline' };
  if (connection === 'offline') return { key: 'conn.offline', tone: 'offline' };
  return { key: connection === 'joining' ? 'conn.joining' : 'conn.connecting', tone: 'pending' };
}

export function ConnectionBadge({ connection }: { connection: string }) {
  const { t } = useI18n();
  const network = useSyncExternalStore(subscribeNetwork, () => navigator.onLine);
  const { key, tone } = connectionBadge(connection, network);
  return (
    <span className={`badge conn-${tone}`} role="status" data-testid="connection" data-state={connection}>
      {t(key)}
    </span>
  );
}
