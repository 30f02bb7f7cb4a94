import { Inject, Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { catchError, map, type Observable } from 'rxjs';
import type { TokenPair } from '@parley/contracts';
import { APP_CONFIG, DomainError, OriginPolicy, isDomainError, type AppConfig } from '@parley/platform';

/** The cookie that carries a browser's refresh token. */
export const REFRESH_COOKIE = 'parley_refresh';
/** Sent only to the refresh and sign-out endpoints (and the rest of /api/auth), never to the API at large. */
export const REFRESH_COOKIE_PATH = '/api/auth';
/**
 * The header a page adds to a refresh by cookie. A cross-site form cannot send a custom header, and
 * a cross-origin script may not without a CORS preflight that only the allowed origins pass.
 */
export const CSRF_HEADER = 'x-parley-csrf';

type Req = Pick<Request, 'headers' | 'socket'> & { cookies?: Record<string, string | undefined> };

/**
 * Where a browser keeps its refresh token: an HttpOnly cookie (SameSite=Strict, Secure when PUBLIC_URL
 * is https, Path=/api/auth, Max-Age the refresh token's life), out of reach of the page's scripts, so
 * that a script injected into the page can use the sign-in while the page is open but cannot carry it
 * away. Non-browser clients (no Origin, no Sec-Fetch-Site) keep the token in the JSON body, as before.
 */
@Injectable()
export class RefreshCookie {
  private readonly secure: boolean;
  private readonly origins: OriginPolicy;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.secure = new URL(config.publicUrl).protocol === 'https:';
    this.origins = new OriginPolicy(config);
  }

  /**
   * A request made by a browser: it carries Origin (every POST) or Sec-Fetch-Site (every request of
   * a current browser). A page's script can remove neither, so it can never ask for a body token.
   */
  static fromBrowser(req: Pick<Request, 'headers'>): boolean {
    return req.headers.origin !== undefined || req.headers['sec-fetch-site'] !== undefined;
  }

  /** Hands a new pair over: to a browser, the refresh token as the cookie and a body without it. */
  deliver<T extends TokenPair>(req: Req, res: Response, pair: T): T {
    if (!RefreshCookie.fromBrowser(req) || pair.refreshToken === undefined) return pair;
    res.cookie(REFRESH_COOKIE, pair.refreshToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.secure,
      path: REFRESH_COOKIE_PATH,
      maxAge: this.config.refreshTokenTtlSeconds * 1000,
    });
    return { ...pair, refreshToken: undefined };
  }

  /**
   * The refresh token a request presents: the body's (a client that holds its own), else the cookie's,
   * after the CSRF checks — the custom header, an allowed Origin, and a same-site Sec-Fetch-Site when
   * the browser sends them.
   */
  presented(req: Req, bodyToken: string | undefined): string {
    if (bodyToken !== undefined) return bodyToken;
    const cookie = req.cookies?.[REFRESH_COOKIE];
    if (!cookie) throw new DomainError('REFRESH_TOKEN_INVALID', 'There is no sign-in to renew; sign in again.', 'refreshToken');
    if (req.headers[CSRF_HEADER] !== '1') {
      throw new DomainError('CSRF_FAILED', `A renewal by cookie needs the ${CSRF_HEADER} header.`);
    }
    if (!this.origins.allows(req)) throw new DomainError('CSRF_FAILED', 'This origin may not renew the sign-in.');
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'same-site') {
      throw new DomainError('CSRF_FAILED', 'A renewal by cookie must come from the same site.');
    }
    return cookie;
  }

  /** Ends the cookie (sign-out, or a renewal refused for good). */
  clear(res: Response): void {
    res.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', secure: this.secure, path: REFRESH_COOKIE_PATH });
  }
}

const ENDS_COOKIE = 'parley:ends-refresh-cookie';
/** On a route that ends the caller's sign-in (sign-out): its answer also ends the browser's cookie. */
export const EndsRefreshCookie = (): MethodDecorator => SetMetadata(ENDS_COOKIE, true);

const isTokenPair = (body: unknown): body is TokenPair =>
  typeof body === 'object' && body !== null && typeof (body as TokenPair).refreshToken === 'string' && 'accessToken' in body;

/**
 * Installed app-wide: wherever an answer is a TokenPair (sign-in, registration, renewal, accepting
 * an invitation, confirming an address), a browser gets the refresh token as the cookie, not in the body. A sign-out
 * (EndsRefreshCookie) or a renewal refused for good also ends the cookie, so the page stops presenting a dead token.
 */
@Injectable()
export class RefreshCookieInterceptor implements NestInterceptor {
  constructor(private readonly cookie: RefreshCookie) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Req>();
    const res = context.switchToHttp().getResponse<Response>();
    const ends = Reflect.getMetadata(ENDS_COOKIE, context.getHandler()) === true;
    return next.handle().pipe(
      map((body: unknown) => {
        if (ends) this.cookie.clear(res);
        if (!isTokenPair(body)) return body;
        // Tokens are never kept by a cache on the way, nor by the browser's (RFC 6749, 5.1).
        res.setHeader('Cache-Control', 'no-store');
        return this.cookie.deliver(req, res, body);
      }),
      catchError((e: unknown) => {
        if (isDomainError(e) && e.code.startsWith('REFRESH_TOKEN_') && req.cookies?.[REFRESH_COOKIE]) this.cookie.clear(res);
        throw e;
      }),
    );
  }
}
