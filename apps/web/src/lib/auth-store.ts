import type { TokenPair, UserView } from '@parley/contracts';

const KEY = 'parley.auth';

export interface StoredAuth {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms after which the access token is refreshed before use. */
  refreshAfter: number;
  user: UserView;
}

type Listener = () => void;

/**
 * Who is signed in on this browser. Kept in localStorage so a reload keeps the sign-in; the
 * refresh token rotates on each use (the server detects reuse), so only one copy is ever current.
 */
class AuthStore {
  private current: StoredAuth | null = read();
  /** Set when the sign-in ended by itself (its refresh refused), for the sign-in page to say so. */
  ended = false;
  private readonly listeners = new Set<Listener>();

  constructor() {
    // Another tab refreshed (refresh tokens rotate) or signed out: this tab follows at once,
    // rather than spending a refresh token that is no longer current.
    window.addEventListener('storage', (e) => {
      if (e.key !== KEY) return;
      this.current = read();
      this.emit();
    });
  }

  get(): StoredAuth | null {
    return this.current;
  }

  set(pair: TokenPair): void {
    // Refresh a little before expiry: a clock skew or a slow request must not meet a 401.
    const margin = Math.min(60, Math.floor(pair.expiresIn / 4));
    this.current = {
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      user: pair.user,
      refreshAfter: Date.now() + (pair.expiresIn - margin) * 1000,
    };
    localStorage.setItem(KEY, JSON.stringify(this.current));
    this.ended = false;
    this.emit();
  }

  /** Signs out; `ended`: not by choice, the server refused to renew the sign-in. */
  clear(ended = false): void {
    this.ended = ended;
    this.current = null;
    localStorage.removeItem(KEY);
    this.emit();
  }

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

function read(): StoredAuth | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as StoredAuth) : null;
  } catch {
    return null;
  }
}

export const auth = new AuthStore();
