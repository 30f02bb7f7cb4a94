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
};
