import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { TokenPair } from '@parley/contracts';
import { SignInLimits } from '@parley/auth';
import { startApp, type TestApp } from './support/harness';
import { expectLimited } from './support/limits';
import { createInvitation, createSession, type Person } from './support/people';

/**
 * The doors anyone can knock at, with strict limits (the harness's defaults are generous): failed
 * sign-ins per account and per client address, with a lockout that refuses even the right password
 * and doubles when it comes back; the same counters through the credentials path of accepting an
 * invitation; registrations per address; invitation previews per address and per link. Every
 * request names its client through X-Forwarded-For (TRUST_PROXY=loopback), a fresh address per
 * test, so tests do not spend each other's limits — nor other runs' when the counters are in a
 * shared Redis (TEST_REDIS_URL).
 */

const ACCOUNT_FAILURES = 10;
const BLOCK_SECONDS = 2;
const ADDRESS_FAILURES = 30;
const REGISTRATIONS = 5;
const INVITATION_ADDRESS = 40;
const INVITATION_TOKEN = 30;
const PASSWORD = 'correct horse battery staple';
const WRONG = 'not the right password';
const run = randomBytes(4).toString('hex');

let addresses = 0;
/** A client address of its own (IPv6 documentation range, the run's own /64). */
const newAddress = () => `2001:db8:${run.slice(0, 4)}:${run.slice(4)}::${(++addresses).toString(16)}`;
let emails = 0;
const newEmail = (name: string) => `${name}.${++emails}.${run}@brute.test`;

/** Polls `probe` until it is truthy, at most `timeoutMs`. */
async function until<T>(what: string, probe: () => Promise<T | null>, timeoutMs: number, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

describe('limits on sign-in, registration and invitations', () => {
  let app: TestApp;
  let warned: jest.SpiedFunction<Logger['warn']>;
  const warnings = () => warned.mock.calls.map(([message]) => String(message));
  beforeAll(async () => {
    app = await startApp({
      TRUST_PROXY: 'loopback',
      RATE_LIMIT_SIGN_IN_ACCOUNT: `${ACCOUNT_FAILURES}/60`,
      SIGN_IN_BLOCK_SECONDS: String(BLOCK_SECONDS),
      SIGN_IN_BLOCK_MAX_SECONDS: '600',
      RATE_LIMIT_SIGN_IN_ADDRESS: `${ADDRESS_FAILURES}/3600`,
      RATE_LIMIT_REGISTER_ADDRESS: `${REGISTRATIONS}/3600`,
      RATE_LIMIT_INVITATION_ADDRESS: `${INVITATION_ADDRESS}/60`,
      RATE_LIMIT_INVITATION_TOKEN: `${INVITATION_TOKEN}/60`,
      // With TEST_REDIS_URL the counters are in Redis (RateLimiterRedis), as in production.
      ...(process.env.TEST_REDIS_URL ? { REDIS_URL: process.env.TEST_REDIS_URL } : {}),
    });
    // Observed, not replaced (a spy calls through): what the server logs at warn.
    warned = jest.spyOn(Logger.prototype, 'warn');
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await app?.close();
  });

  const login = (email: string, password: string, from: string) =>
    app.http().post('/api/auth/login').set('X-Forwarded-For', from).send({ email, password });
  const accept = (token: string, email: string, password: string, from: string) =>
    app.http().post(`/api/invitations/${token}/accept`).set('X-Forwarded-For', from).send({ email, password, displayName: 'Invitee' });

  async function registerFrom(from: string, name = 'member'): Promise<Person> {
    const email = newEmail(name);
    const res = await app
      .http()
      .post('/api/auth/register')
      .set('X-Forwarded-For', from)
      .send({ email, password: PASSWORD, displayName: 'Member' })
      .expect(201);
    const pair = res.body as TokenPair;
    return { name, email, password: PASSWORD, token: pair.accessToken, userId: pair.user.id };
  }

  /** An invitation link to a fresh session (as an observer: no party needed). */
  async function invitationLink(): Promise<string> {
    const mediator = await registerFrom(newAddress(), 'mediator');
    const session = await createSession(app, mediator);
    return createInvitation(app, mediator, session.id);
  }

  describe('sign-in, per account', () => {
    let member: Person;
    const statuses: number[] = [];
    let eleventh: Awaited<ReturnType<typeof login>>;
    let rightDuringBlock: Awaited<ReturnType<typeof login>>;
    let lockoutWarnings: string[];
    let lockoutsCounted: number;
    let refusedCounted: number;
    let waitedMs: number;
    let afterBlock: Awaited<ReturnType<typeof login>>;
    let afterSuccess: number[];
    let secondLockout: Awaited<ReturnType<typeof login>>;

    beforeAll(async () => {
      member = await registerFrom(newAddress());
      const limits = app.app.get(SignInLimits);
      const lockoutsBefore = limits.lockouts;
      const refusedBefore = limits.refused;
      const warnedBefore = warnings().length;
      // Ten wrong passwords from ten addresses (the account's count is theirs together), in other cases.
      for (let i = 0; i < ACCOUNT_FAILURES; i++) {
        const email = i % 2 ? member.email.toUpperCase() : member.email;
        statuses.push((await login(email, WRONG, newAddress())).status);
      }
      eleventh = await login(member.email, WRONG, newAddress());
      rightDuringBlock = await login(member.email, PASSWORD, newAddress());
      // More attempts during the lockout: refused, and still one warning for the one lockout.
      for (let i = 0; i < 3; i++) await login(member.email, WRONG, newAddress());
      lockoutWarnings = warnings()
        .slice(warnedBefore)
        .filter((w) => w.includes('sign-in locked'));
      lockoutsCounted = limits.lockouts - lockoutsBefore;
      refusedCounted = limits.refused - refusedBefore;
      const t0 = Date.now();
      afterBlock = await until(
        'the right password accepted after the block',
        async () => {
          const res = await login(member.email, PASSWORD, newAddress());
          return res.status === 429 ? null : res;
        },
        (BLOCK_SECONDS + 3) * 1000,
      );
      waitedMs = Date.now() - t0;
      // The success cleared the account's failures: ten more are answered 401, the eleventh is a
      // second lockout, twice as long.
      afterSuccess = [];
      for (let i = 0; i < ACCOUNT_FAILURES; i++) afterSuccess.push((await login(member.email, WRONG, newAddress())).status);
      secondLockout = await login(member.email, WRONG, newAddress());
    });

    it('answers the first ten wrong passwords 401 and the eleventh 429 RATE_LIMITED with Retry-After', () => {
      expect(statuses).toEqual(Array(ACCOUNT_FAILURES).fill(401));
      const seconds = expectLimited(eleventh);
      expect(seconds).toBeLessThanOrEqual(BLOCK_SECONDS);
    });

    it('refuses the right password too while the account is locked', () => {
      expectLimited(rightDuringBlock);
    });

    it('logs one warning per lockout, naming no address, and counts it', () => {
      expect(lockoutWarnings).toHaveLength(1);
      expect(lockoutWarnings[0]).toMatch(/sign-in locked for 2 s: 10 failed sign-ins within 60 s for address #[0-9a-f]{12} \(lockout 1/);
      expect(lockoutWarnings[0]).not.toContain(member.email.split('@')[0]);
      expect(lockoutsCounted).toBe(1);
      expect(refusedCounted).toBe(5);
    });

    it('lets the right password in once the block has ended', () => {
      expect(afterBlock.status).toBe(200);
      expect((afterBlock.body as TokenPair).user.id).toBe(member.userId);
      expect(waitedMs).toBeLessThan((BLOCK_SECONDS + 3) * 1000);
    });

    it('starts counting afresh after a success, and doubles the next lockout', () => {
      expect(afterSuccess).toEqual(Array(ACCOUNT_FAILURES).fill(401));
      const seconds = expectLimited(secondLockout);
      expect(seconds).toBeGreaterThan(BLOCK_SECONDS);
      expect(seconds).toBeLessThanOrEqual(2 * BLOCK_SECONDS);
    });
  });

  describe('accepting an invitation with credentials (the same counters)', () => {
    let member: Person;
    let token: string;
    const statuses: number[] = [];
    let eleventh: Awaited<ReturnType<typeof accept>>;
    let rightDuringBlock: Awaited<ReturnType<typeof accept>>;
    let loginDuringBlock: Awaited<ReturnType<typeof login>>;
    let mixedStatuses: number[];
    let mixedEleventh: Awaited<ReturnType<typeof login>>;
    let afterBlock: Awaited<ReturnType<typeof accept>>;

    beforeAll(async () => {
      member = await registerFrom(newAddress());
      token = await invitationLink();
      for (let i = 0; i < ACCOUNT_FAILURES; i++) statuses.push((await accept(token, member.email, WRONG, newAddress())).status);
      eleventh = await accept(token, member.email, WRONG, newAddress());
      rightDuringBlock = await accept(token, member.email, PASSWORD, newAddress());
      loginDuringBlock = await login(member.email, PASSWORD, newAddress());
      afterBlock = await until(
        'the invitation accepted after the block',
        async () => {
          const res = await accept(token, member.email, PASSWORD, newAddress());
          return res.status === 429 ? null : res;
        },
        (BLOCK_SECONDS + 3) * 1000,
      );
      // Half through sign-in, half through another invitation: one count.
      const other = await registerFrom(newAddress());
      const otherToken = await invitationLink();
      mixedStatuses = [];
      for (let i = 0; i < ACCOUNT_FAILURES; i++) {
        const from = newAddress();
        mixedStatuses.push((i % 2 ? await login(other.email, WRONG, from) : await accept(otherToken, other.email, WRONG, from)).status);
      }
      mixedEleventh = await login(other.email, PASSWORD, newAddress());
    });

    it('answers the eleventh wrong password 429 RATE_LIMITED with Retry-After, and the right one too', () => {
      expect(statuses).toEqual(Array(ACCOUNT_FAILURES).fill(401));
      expectLimited(eleventh);
      expectLimited(rightDuringBlock);
    });

    it('locks sign-in as well: one account, one count', () => {
      expectLimited(loginDuringBlock);
      expect(mixedStatuses).toEqual(Array(ACCOUNT_FAILURES).fill(401));
      expectLimited(mixedEleventh);
    });

    it('accepts with the right password once the block has ended', () => {
      expect(afterBlock.status).toBe(201);
      expect(afterBlock.body.user.id).toBe(member.userId);
    });
  });

  describe('sign-in, per client address', () => {
    const from = newAddress();
    const statuses: number[] = [];
    let next: Awaited<ReturnType<typeof login>>;
    let rightFromThere: Awaited<ReturnType<typeof login>>;
    let rightFromElsewhere: Awaited<ReturnType<typeof login>>;

    beforeAll(async () => {
      const member = await registerFrom(newAddress());
      // One wrong password each for many addresses, known or not: no account reaches its own limit.
      for (let i = 0; i < ADDRESS_FAILURES; i++) statuses.push((await login(newEmail('sprayed'), WRONG, from)).status);
      next = await login(newEmail('sprayed'), WRONG, from);
      rightFromThere = await login(member.email, PASSWORD, from);
      rightFromElsewhere = await login(member.email, PASSWORD, newAddress());
    });

    it('refuses an address past its failures, whatever the account, and only that address', () => {
      expect(statuses).toEqual(Array(ADDRESS_FAILURES).fill(401));
      expectLimited(next);
      expectLimited(rightFromThere);
      expect(rightFromElsewhere.status).toBe(200);
    });
  });

  describe('registration', () => {
    const from = newAddress();
    const statuses: number[] = [];
    let flood: Awaited<ReturnType<typeof login>>;
    let elsewhere: number;
    let accounts: number;

    beforeAll(async () => {
      const { DataSource } = await import('typeorm');
      const count = async () =>
        Number((await app.app.get(DataSource).query(`SELECT count(*) AS n FROM users WHERE email LIKE '%.${run}@brute.test'`))[0].n);
      const register = (email: string, at: string) =>
        app.http().post('/api/auth/register').set('X-Forwarded-For', at).send({ email, password: PASSWORD, displayName: 'Flood' });
      for (let i = 0; i < REGISTRATIONS; i++) statuses.push((await register(newEmail('flood'), from)).status);
      const before = await count();
      flood = await register(newEmail('flood'), from);
      accounts = (await count()) - before;
      elsewhere = (await register(newEmail('flood'), newAddress())).status;
    });

    it('refuses an address past its registrations, creating nothing, and serves the others', () => {
      expect(statuses).toEqual(Array(REGISTRATIONS).fill(201));
      expectLimited(flood);
      expect(accounts).toBe(0);
      expect(elsewhere).toBe(201);
    });
  });

  describe('invitation previews', () => {
    let perToken: number[];
    let tokenPast: Awaited<ReturnType<typeof login>>;
    let perAddress: number[];
    let addressPast: Awaited<ReturnType<typeof login>>;
    let otherAddress: number;

    beforeAll(async () => {
      const token = await invitationLink();
      const preview = (t: string, from: string) => app.http().get(`/api/invitations/${t}`).set('X-Forwarded-For', from);
      perToken = [];
      for (let i = 0; i < INVITATION_TOKEN; i++) perToken.push((await preview(token, newAddress())).status);
      tokenPast = await preview(token, newAddress());
      // Probing for links from one address: unknown, well-formed tokens.
      const from = newAddress();
      perAddress = [];
      for (let i = 0; i < INVITATION_ADDRESS; i++) perAddress.push((await preview(randomBytes(32).toString('base64url'), from)).status);
      addressPast = await preview(randomBytes(32).toString('base64url'), from);
      otherAddress = (await preview(randomBytes(32).toString('base64url'), newAddress())).status;
    });

    it('refuses a link asked for too often, from any address', () => {
      expect(perToken).toEqual(Array(INVITATION_TOKEN).fill(200));
      expectLimited(tokenPast);
    });

    it('refuses an address probing for links', () => {
      expect(perAddress).toEqual(Array(INVITATION_ADDRESS).fill(404));
      expectLimited(addressPast);
      expect(otherAddress).toBe(404);
    });
  });

  it('takes as long to refuse an unknown address as a known one with a wrong password (medians over HTTP)', async () => {
    const SAMPLES = 15;
    const known: string[] = [];
    for (let i = 0; i < SAMPLES; i++) known.push((await registerFrom(newAddress(), 'timed')).email);
    const time = async (email: string) => {
      const t0 = performance.now();
      const res = await login(email, WRONG, newAddress());
      const ms = performance.now() - t0;
      expect(res.status).toBe(401);
      return ms;
    };
    // Warm-up, then interleaved so both see the same machine; each address fails once (no limit is near).
    await time(newEmail('warm'));
    const knownMs: number[] = [];
    const unknownMs: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      knownMs.push(await time(known[i]));
      unknownMs.push(await time(newEmail('nobody')));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ratio = median(unknownMs) / median(knownMs);
    console.log(
      `login timing over HTTP (${app.databaseUrl ? 'PostgreSQL' : 'embedded database'}), median of ${SAMPLES}: ` +
        `known address, wrong password ${median(knownMs).toFixed(1)} ms; unknown address ${median(unknownMs).toFixed(1)} ms; ratio ${ratio.toFixed(2)}`,
    );
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});
