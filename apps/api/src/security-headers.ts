import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { DomainError, errorBody, type AppConfig, type OriginPolicy } from '@parley/platform';

/** The Swagger page and its files: Swagger UI has an inline <style> and data: images, nothing else does. */
const DOCS = /^\/api\/docs(\/|-json$|$)/;
/** A Host header fit to name in a policy (anything else: the policy says 'self' alone). */
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * The headers of every HTTP answer — the page, the API, the assets, the SPA fallback (see README,
 * "Running it safely"):
 * - a Content-Security-Policy the built client satisfies with nothing inline: scripts, styles,
 *   images and fonts from this origin only, connections to this origin (HTTP and the Socket.IO
 *   WebSocket), no plugins, no <base>, forms posting here only, and no framing by anyone
 *   (`frame-ancestors 'none'`, and X-Frame-Options: DENY for older browsers): the console cannot be
 *   clickjacked into conveying or adopting. Media arrive as MediaStreams, which no directive governs;
 * - nosniff, Referrer-Policy: no-referrer (a session or invitation URL never leaks to another site),
 *   a Permissions-Policy that leaves the camera and the microphone to this origin only, no
 *   X-Powered-By;
 * - HSTS only when PUBLIC_URL is https: on plain http it would mean nothing, and on a TLS proxy
 *   that sets its own, the proxy is the better place (it also covers what it serves itself).
 * The Swagger page at /api/docs gets the same policy but for inline styles and data: images.
 */
export function securityHeaders(config: Pick<AppConfig, 'publicUrl'>): RequestHandler {
  const https = new URL(config.publicUrl).protocol === 'https:';
  const connect = (req: unknown): string => {
    const host = (req as Request).headers.host;
    return host && HOST.test(host) ? `'self' ws://${host} wss://${host}` : "'self'";
  };
  const base = {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    fontSrc: ["'self'"],
    connectSrc: [connect],
    mediaSrc: ["'self'"],
    objectSrc: ["'none'"],
    frameSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    ...(https ? { upgradeInsecureRequests: [] } : {}),
  };
  const common = {
    strictTransportSecurity: https ? { maxAge: 365 * 86_400, includeSubDomains: false } : false,
    xFrameOptions: { action: 'deny' as const },
    referrerPolicy: { policy: 'no-referrer' as const },
    crossOriginOpenerPolicy: { policy: 'same-origin' as const },
    crossOriginResourcePolicy: { policy: 'same-origin' as const },
  };
  const strict = helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives: base } });
  const docs = helmet({
    ...common,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { ...base, styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] },
    },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Permissions-Policy', 'camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()');
    (DOCS.test(req.path) ? docs : strict)(req, res, next);
  };
}

/**
 * A browser page of another origin gets nothing from the API: 403 ORIGIN_FORBIDDEN before any
 * route runs (a cross-site form included, which CORS alone would let through). Requests without an
 * Origin — not a browser's, or a same-origin GET — pass (see OriginPolicy).
 */
export function originGuard(policy: OriginPolicy): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.path.startsWith('/api/') && req.path !== '/api') return next();
    if (policy.allows(req)) return next();
    const body = errorBody(new DomainError('ORIGIN_FORBIDDEN', 'Requests from this origin are not accepted.'));
    res.status(body.statusCode).json(body);
  };
}
