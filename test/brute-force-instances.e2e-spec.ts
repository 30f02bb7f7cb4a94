import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { ApiProcess, freePort } from './support/api-process';
import { freshDatabase } from './support/harness';
import { expectLimited } from './support/limits';
import { describeWhen, lacks } from './support/needs';
import { RedisServer } from './support/redis-server';

/**
 * The sign-in limits hold across API instances: two API processes on one PostgreSQL and a
 * redis-server of the test's own count one account's failures together, wherever each attempt
 * lands. (Processes, not two apps in this one: passport's strategies are process-wide, so two
 * in-process apps would both sign in through the one registered last.) When that Redis goes away, sign-in keeps working: each instance counts on its own (the
 * in-memory insurance limiter) until Redis is back.
 *
 * Needs `redis-server` and a PostgreSQL server (two instances cannot share the embedded database):
 * one of the suites `npm run test:servers` runs (jest.config.js), like multi-instance.e2e-spec.ts.
 */

const ACCOUNT_FAILURES = 10;
const PASSWORD = 'correct horse battery staple';
const WRONG = 'not the right password';
const run = randomBytes(4).toString('hex');
let n = 0;
const newEmail = () => `member.${++n}.${run}@instances.test`;

describeWhen(
  __filename,
  lacks.servers(),
  lacks.redisServer(),
)('sign-in limits across instances', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let redis: RedisServer;
  let a: ApiProcess;
  let b: ApiProcess;

  beforeAll(async () => {
    db = await freshDatabase();
    redis = await RedisServer.start();
    const env = {
      DATABASE_URL: db!.url,
      REDIS_URL: redis.url,
      JWT_SECRET: 'brute-force-secret-brute-force-secret',
      RATE_LIMIT_SIGN_IN_ACCOUNT: `${ACCOUNT_FAILURES}/60`,
      SIGN_IN_BLOCK_SECONDS: '60',
    };
    a = new ApiProcess(await freePort(), env);
    b = new ApiProcess(await freePort(), env);
    // One after the other: the first runs the migrations of the fresh database.
    await a.start(120_000);
    await b.start(120_000);
  }, 300_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await redis?.dispose();
    await db?.drop();
  });

  const login = (app: ApiProcess, email: string, password: string) => request(app.url).post('/api/auth/login').send({ email, password });
  const lockoutLines = () => [a, b].map((p) => p.log.split('sign-in locked').length - 1);
  async function registered(): Promise<string> {
    const email = newEmail();
    await request(a.url).post('/api/auth/register').send({ email, password: PASSWORD, displayName: 'Member' }).expect(201);
    return email;
  }
  describe('with Redis', () => {
    let email: string;
    const statuses: number[] = [];
    let eleventhOnA: Awaited<ReturnType<typeof login>>;
    let rightOnB: Awaited<ReturnType<typeof login>>;
    let stored: string[];
    let logged: number[];

    beforeAll(async () => {
      email = await registered();
      // Wrong passwords split between the instances: A, B, A, B…
      for (let i = 0; i < ACCOUNT_FAILURES; i++) statuses.push((await login(i % 2 ? b : a, email, WRONG)).status);
      eleventhOnA = await login(a, email, WRONG);
      rightOnB = await login(b, email, PASSWORD);
      logged = lockoutLines();
      const probe = new (await import('ioredis')).Redis(redis.url);
      stored = await probe.keys('parley:rl:sign-in-account:*');
      await probe.quit();
    });

    it('locks the account at the eleventh wrong password, whichever instance saw the ten', () => {
      expect(statuses).toEqual(Array(ACCOUNT_FAILURES).fill(401));
      expectLimited(eleventhOnA);
    });

    it('refuses the right password on the other instance too', () => {
      expectLimited(rightOnB);
    });

    it('keeps the count in Redis, and the instance that saw the tenth failure logs the lockout once', () => {
      expect(stored).toContain(`parley:rl:sign-in-account:${email}`);
      // The tenth failure was B's (A, B, … from the first).
      expect(logged).toEqual([0, 1]);
    });
  });

  describe('while Redis is away', () => {
    let email: string;
    let signedIn: number[];
    const statuses: number[] = [];
    let eleventhOnA: Awaited<ReturnType<typeof login>>;
    let rightOnB: number;

    beforeAll(async () => {
      email = await registered();
      await redis.stop();
      signedIn = [(await login(a, email, PASSWORD)).status, (await login(b, email, PASSWORD)).status];
      for (let i = 0; i < ACCOUNT_FAILURES; i++) statuses.push((await login(a, email, WRONG)).status);
      eleventhOnA = await login(a, email, WRONG);
      rightOnB = (await login(b, email, PASSWORD)).status;
    });

    it('signs people in: the limits do not fail requests', () => {
      expect(signedIn).toEqual([200, 200]);
    });

    it('still locks an account on the instance that saw its failures (counted in memory there)', () => {
      expect(statuses).toEqual(Array(ACCOUNT_FAILURES).fill(401));
      expectLimited(eleventhOnA);
      // The other instance has not seen them: per instance, not shared, until Redis is back.
      expect(rightOnB).toBe(200);
    });
  });

  describe('when Redis is back', () => {
    let email: string;
    const statuses: number[] = [];
    let eleventhOnB: Awaited<ReturnType<typeof login>>;

    beforeAll(async () => {
      await redis.start();
      email = await registered();
      // Each instance's limiter connection comes back by itself (reconnect backoff ≤ 2 s): wait for
      // a failure on each to be counted in Redis again, then count one account's across both.
      const probe = new (await import('ioredis')).Redis(redis.url);
      try {
        for (const app of [a, b]) {
          const canary = newEmail();
          const deadline = Date.now() + 15_000;
          while (!(await probe.exists(`parley:rl:sign-in-account:${canary}`))) {
            if (Date.now() > deadline) throw new Error('the limits did not reach Redis again within 15 s');
            await login(app, canary, WRONG);
            await new Promise((r) => setTimeout(r, 200));
          }
        }
      } finally {
        await probe.quit();
      }
      for (let i = 0; i < ACCOUNT_FAILURES; i++) statuses.push((await login(i % 2 ? a : b, email, WRONG)).status);
      eleventhOnB = await login(b, email, WRONG);
    }, 60_000);

    it('shares the counts across instances again', () => {
      expect(statuses).toEqual(Array(ACCOUNT_FAILURES).fill(401));
      expectLimited(eleventhOnB);
    });
  });
});
