import type { Ack } from '@parley/contracts';
import { freshDatabase, startApp, TestClient, type TestApp } from './support/harness';
import { describeWhen, lacks } from './support/needs';
import { createSession, register } from './support/people';

/**
 * An account's socket budget holds across API instances: two instances on one PostgreSQL and one
 * Redis count the events of one account's sockets together (RateLimits keeps the counter in Redis),
 * wherever each socket is connected. Needs TEST_DATABASE_URL and TEST_REDIS_URL: one of the suites
 * `npm run test:servers` runs (jest.config.js), like multi-instance.e2e-spec.ts.
 */
const ACCOUNT_EVENTS = 10;

describeWhen(__filename, lacks.servers())("an account's socket budget across instances", () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let one: TestApp;
  let two: TestApp;
  const clients: TestClient[] = [];
  const answers: Array<{ on: 'one' | 'two'; ack: Ack<unknown> }> = [];

  beforeAll(async () => {
    db = await freshDatabase();
    const env = { REDIS_URL: process.env.TEST_REDIS_URL!, SOCKET_BUDGET_ACCOUNT_PER_MINUTE: String(ACCOUNT_EVENTS) };
    one = await startApp(env, db);
    two = await startApp(env, db);
    const mediator = await register(one, 'Mediator Everywhere');
    const session = await createSession(one, mediator);
    const a = await TestClient.connect(one.url, mediator.token);
    const b = await TestClient.connect(two.url, mediator.token);
    clients.push(a, b);
    // Each join spends one of the account's points; then 6 requests through one, 6 through two.
    await a.join(session.id);
    await b.join(session.id);
    for (const [on, client] of [
      ['one', a],
      ['two', b],
    ] as const) {
      for (let i = 0; i < 6; i++) answers.push({ on, ack: await client.ask('presence.get', {}) });
    }
  }, 120_000);
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await one?.close();
    await two?.close();
    await db?.drop();
  });

  it('answers the account ACCOUNT_EVENTS events in all, wherever they arrive, and refuses the rest RATE_LIMITED', () => {
    const outcome = answers.map(({ on, ack }) => `${on}:${ack.ok ? 'ok' : ack.error.code}`);
    // 2 joins + 6 through one + 2 through two = 10; counted per instance, two would have answered all 6.
    expect(outcome).toEqual([
      ...Array<string>(6).fill('one:ok'),
      ...Array<string>(2).fill('two:ok'),
      ...Array<string>(4).fill('two:RATE_LIMITED'),
    ]);
    const refused = answers[8].ack;
    expect(refused).toEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', message: expect.any(String), details: { retryAfterSeconds: expect.any(Number) } },
    });
    if (!refused.ok) expect(refused.error.details?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });
});
