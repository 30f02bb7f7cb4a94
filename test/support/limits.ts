import type { HttpErrorBody } from '@parley/contracts';

/**
 * Limits no ordinary suite reaches: suites sign in, register and open invitations many times from
 * 127.0.0.1. Every app a suite starts gets them unless it sets its own (test/brute-force.e2e-spec.ts
 * sets strict ones); the defaults are in app-config.ts.
 */
export const GENEROUS_LIMITS: Record<string, string> = {
  RATE_LIMIT_SIGN_IN_ACCOUNT: '1000/60',
  RATE_LIMIT_SIGN_IN_ADDRESS: '1000000/60',
  RATE_LIMIT_REGISTER_ADDRESS: '1000000/60',
  RATE_LIMIT_INVITATION_ADDRESS: '1000000/60',
  RATE_LIMIT_INVITATION_TOKEN: '1000000/60',
  RATE_LIMIT_CONSULTATION_ADDRESS: '1000000/60',
  RATE_LIMIT_CONSULTATION_LINK: '1000000/60',
  RATE_LIMIT_CONSULTATION_STATEMENTS: '1000/60',
};

/** A refusal by a limit: 429 RATE_LIMITED, and a Retry-After header equal to details.retryAfterSeconds. Returns the seconds. */
export function expectLimited(res: { status: number; body: HttpErrorBody; headers: Record<string, string> }): number {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
  const seconds = res.body.details?.retryAfterSeconds as number;
  expect(Number.isInteger(seconds) && seconds >= 1).toBe(true);
  expect(res.headers['retry-after']).toBe(String(seconds));
  return seconds;
}
