import type { IncomingHttpHeaders } from 'node:http';
import type { AppConfig } from '../config/app-config';

/** The names a browser gives a Parley opened on this machine. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Which browser pages may call the API and open sockets: PUBLIC_URL's origin and the origins
 * listed in ALLOWED_ORIGINS. A PUBLIC_URL on loopback (the default, `http://localhost:<port>`) is a
 * local installation: its page may also be opened as 127.0.0.1 or [::1], on the port the request
 * arrived at (tests listen on port 0). A request without an Origin header is no browser's page
 * (curl, the e2e clients, a server-side integration) and is not this policy's to refuse; a browser
 * sends Origin on every cross-origin request, every POST and every WebSocket, and a page cannot
 * forge it. The literal `null` (a sandboxed frame, a file) is foreign.
 */
export class OriginPolicy {
  private readonly listed: ReadonlySet<string>;
  private readonly local: { protocol: string } | null;

  constructor(config: Pick<AppConfig, 'publicUrl' | 'allowedOrigins'>) {
    const pub = new URL(config.publicUrl);
    this.listed = new Set([pub.origin, ...config.allowedOrigins]);
    this.local = LOOPBACK_HOSTS.has(pub.hostname) ? { protocol: pub.protocol } : null;
  }

  /** True when the request carries no Origin, or one this server serves or was told to trust. */
  allows(req: { headers: IncomingHttpHeaders; socket: { localPort?: number } }): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    return this.isAllowed(origin, req.socket.localPort);
  }

  /** `origin` (an Origin header's value) is allowed for a request that arrived on `localPort`. */
  isAllowed(origin: string, localPort: number | undefined): boolean {
    if (this.listed.has(origin)) return true;
    if (!this.local || localPort === undefined) return false;
    let u: URL;
    try {
      u = new URL(origin);
    } catch {
      return false;
    }
    return (
      u.origin === origin &&
      u.protocol === this.local.protocol &&
      LOOPBACK_HOSTS.has(u.hostname) &&
      (u.port || (u.protocol === 'https:' ? '443' : '80')) === String(localPort)
    );
  }
}
