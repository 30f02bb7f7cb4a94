import type { TokenPair, UserView } from '@parley/contracts';

/** What earlier versions kept in localStorage, refresh token included: removed on sight. */
const LEGACY_KEY = 'parley.auth';
const CHANNEL = 'parley.auth';

export interface StoredAuth {
  accessToken: string;
  /** Epoch ms after which the access token is refreshed before use. */
  refreshAfter: number;
  user: UserView;
}

type Listener = () => void;
type TabMessage = 'signed-in' | 'signed-out';

/**
 * Who is signed in on this page. The access token lives in memory only: a script injected into the
 * page could read any storage, and a reload costs one renewal. The refresh token is out of the
 * page's reach altogether, in the API's HttpOnly cookie (see api.ts, restoreSignIn): a reload, or a
 * new tab, renews through it. Tabs tell each other of a sign-in or a sign-out (BroadcastChannel,
 * which keeps nothing), so that every tab follows at once.
 */
class AuthStore {
  private current: StoredAuth | null = null;
  /** Set when the sign-in ended by itself (its refresh refused), for the sign-in page to say so. */
  ended = false;
  private readonly listeners = new Set<Listener>();
  private readonly tabListeners = new Set<(m: TabMessage) => void>();
  private readonly channel: BroadcastChannel | null = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;

  constructor() {
    try {
      localStorage.removeItem(LEGACY_KEY);
    } catch {
      // storage disabled: nothing was kept there either
    }
    this.channel?.addEventListener('message', (e: MessageEvent<TabMessage>) => {
      if (e.data === 'signed-out' && this.current) {
        this.current = null;
        this.emit();
      }
      for (const l of this.tabListeners) l(e.data);
    });
  }

  get(): StoredAuth | null {
    return this.current;
  }

  set(pair: TokenPair): void {
    const first = this.current === null;
    // Refresh a little before expiry: a clock skew or a slow request must not meet a 401.
    const margin = Math.min(60, Math.floor(pair.expiresIn / 4));
    this.current = { accessToken: pair.accessToken, user: pair.user, refreshAfter: Date.now() + (pair.expiresIn - margin) * 1000 };
    this.ended = false;
    if (first) this.channel?.postMessage('signed-in' satisfies TabMessage);
    this.emit();
  }

  /** Signs this page out; `ended`: not by choice, the server refused to renew the sign-in. */
  clear(ended = false): void {
    this.ended = ended;
    const was = this.current !== null;
    this.current = null;
    if (was) this.channel?.postMessage('signed-out' satisfies TabMessage);
    this.emit();
  }

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  /** Another tab of this origin signed in or out. */
  onOtherTab(l: (m: TabMessage) => void): void {
    this.tabListeners.add(l);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

export const auth = new AuthStore();
