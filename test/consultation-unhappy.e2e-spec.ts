import {
  CONSULTATION_LIMITS,
  type BallotItem,
  type ConsultationCounts,
  type ConsultationResults,
  type ConsultationView,
  type ModerationItem,
  type RespondentView,
  type Tally,
} from '@parley/contracts';
import { Client } from 'pg';
import { freePort } from './support/api-process';
import { createConsultation, respondentHttp, startRespondent, type TestRespondent } from './support/consultation';
import { startApp, type TestApp } from './support/harness';
import { startMediation, useMediation, type Mediation } from './support/mediation';
import { describeWhen, lacks } from './support/needs';
import { PgCluster } from './support/pg-cluster';

/**
 * Issue 19's unhappy paths the other consultation suites do not walk. One respondent on two devices
 * with one return code: the second resumes by typing the code, both see the same statements, the
 * cap of statements is the respondent's whichever device writes, and a vote is cast once whichever
 * device casts it, at once from both too. Then the database going away mid-consultation (a
 * PostgreSQL cluster of the suite's own, stopped and started again, whichever database the other
 * tests use): the respondent's statement and vote, caught in their transactions or sent while it is
 * down, get the outage's answer (503 DATABASE_UNAVAILABLE, retryable), never a 500; nothing of them
 * is stored; once it is back the same return code goes on, and the statement retried is stored once.
 */
const PHONE = 'Mozilla/5.0 (Linux; Android 14) Mobile';
const LAPTOP = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0';

type Answer = { status: number; body: { statusCode?: number; code?: string; field?: string; retryable?: boolean } };
const refusal = (res: Answer) => ({ status: res.status, code: res.body.code, field: res.body.field });

/** A consultation with `approved` statements of other respondents, approved by the mediators, to vote on. */
async function consultationToVoteOn(app: TestApp, m: Mediation, approved: number): Promise<{ c: ConsultationView; approvedIds: string[] }> {
  const c = await createConsultation(m);
  const approvedIds: string[] = [];
  for (let i = 0; i < approved; i++) {
    const author = await startRespondent(app, c.groups[1].link, 1);
    const written = await respondentHttp(app, author).post('/statements', { text: `Statement ${i} of another respondent.` });
    expect(written.status).toBe(201);
    await m.post(m.mediator, `/consultations/${c.id}/statements/${written.body.id}/moderation`, { decision: 'approve' }).expect(200);
    approvedIds.push(written.body.id as string);
  }
  return { c, approvedIds };
}

describe('one respondent on two devices, with one return code', () => {
  const { app, m } = useMediation();
  let c: ConsultationView;
  let approvedIds: string[];
  let me: TestRespondent;
  const phone = () => respondentHttp(app(), me, PHONE);
  // The laptop's return code is typed as people type it: lower case, without its dashes.
  const laptop = () => respondentHttp(app(), { link: me.link, returnCode: me.returnCode.toLowerCase().replace(/-/g, '') }, LAPTOP);
  const write = (device: ReturnType<typeof phone>, text: string) => device.post('/statements', { text }).expect(201);
  const counts = async () => ((await m().get(m().mediator, `/consultations/${c.id}`).expect(200)).body as ConsultationView).counts;
  const total = async (statementId: string): Promise<Tally | undefined> =>
    ((await m().get(m().mediator, `/consultations/${c.id}/results`).expect(200)).body as ConsultationResults).statements.find(
      (s) => s.statementId === statementId,
    )?.total;
  const myView = async () => [(await phone().get('/me')).body as RespondentView, (await laptop().get('/me')).body as RespondentView];

  beforeAll(async () => {
    ({ c, approvedIds } = await consultationToVoteOn(app(), m(), 6));
    me = await startRespondent(app(), c.groups[0].link, 0, undefined, PHONE);
  });

  it('the second device resumes with the return code: the same respondent, group and statements', async () => {
    await write(phone(), 'Written on the phone, 1.');
    const [onPhone, onLaptop] = await myView();
    expect(onLaptop).toEqual(onPhone);
    expect(onLaptop).toMatchObject({ group: { name: c.groups[0].name }, votesCast: 0 });
    expect(onLaptop.statements.map((s) => s.text)).toEqual(['Written on the phone, 1.']);
    // Resuming made nobody new.
    expect((await counts()).respondents).toBe(approvedIds.length + 1);
  });

  it('the cap of statements is the respondent’s: 3 from the phone and 2 from the laptop, the sixth refused on both at once', async () => {
    expect(CONSULTATION_LIMITS.statementsPerRespondent).toBe(5);
    for (const n of [2, 3]) await write(phone(), `Written on the phone, ${n}.`);
    for (const n of [1, 2]) await write(laptop(), `Written on the laptop, ${n}.`);
    const sixth = await Promise.all([
      phone().post('/statements', { text: 'Written on the phone, 4.' }),
      laptop().post('/statements', { text: 'Written on the laptop, 3.' }),
    ]);
    expect(sixth.map(refusal)).toEqual([
      { status: 409, code: 'STATEMENT_LIMIT_REACHED', field: 'text' },
      { status: 409, code: 'STATEMENT_LIMIT_REACHED', field: 'text' },
    ]);
    const [onPhone, onLaptop] = await myView();
    expect(onPhone).toEqual(onLaptop);
    expect(onLaptop.statementsLeft).toBe(0);
    expect(onLaptop.statements.map((s) => s.text)).toEqual([
      'Written on the phone, 1.',
      'Written on the phone, 2.',
      'Written on the phone, 3.',
      'Written on the laptop, 1.',
      'Written on the laptop, 2.',
    ]);
    expect((await counts()).pending).toBe(5);
  });

  it('a vote cast on the phone is the respondent’s: the laptop voting the same statement is refused, and the figures count one vote', async () => {
    const [statementId] = approvedIds;
    expect((await phone().post('/votes', { statementId, vote: 'agree' }).expect(200)).body.votesCast).toBe(1);
    expect(refusal(await laptop().post('/votes', { statementId, vote: 'disagree' }))).toEqual({
      status: 409,
      code: 'VOTE_ALREADY_CAST',
      field: 'statementId',
    });
    expect(((await laptop().get('/ballot').expect(200)).body as BallotItem[]).map((b) => b.id)).not.toContain(statementId);
    expect(await total(statementId)).toEqual({ agree: 1, disagree: 0, pass: 0, n: 1 });
    expect((await counts()).votes).toBe(1);
  });

  it('both devices voting on one statement at the same time: one vote is stored, the other refused as already cast', async () => {
    const raced = approvedIds.slice(1);
    const races = await Promise.all(
      raced.map((statementId) =>
        Promise.all([phone().post('/votes', { statementId, vote: 'agree' }), laptop().post('/votes', { statementId, vote: 'disagree' })]),
      ),
    );
    for (const race of races) {
      expect(race.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(refusal(race.find((r) => r.status === 409)!)).toEqual({ status: 409, code: 'VOTE_ALREADY_CAST', field: 'statementId' });
    }
    for (const [i, statementId] of raced.entries()) {
      // The vote stored is the one answered 200.
      const won = races[i][0].status === 200 ? 'agree' : 'disagree';
      expect(await total(statementId)).toEqual({ agree: 0, disagree: 0, pass: 0, [won]: 1, n: 1 });
    }
    expect((await counts()).votes).toBe(approvedIds.length);
    const [onPhone, onLaptop] = await myView();
    expect([onPhone.votesCast, onLaptop.votesCast]).toEqual([approvedIds.length, approvedIds.length]);
  });
});

describeWhen(__filename, lacks.pgCluster())('the database goes away during a consultation', () => {
  let cluster: PgCluster;
  let app: TestApp;
  let m: Mediation;
  let c: ConsultationView;
  let approvedIds: string[];
  let me: TestRespondent;
  const door = () => respondentHttp(app, me);
  const counts = async () => ((await m.get(m.mediator, `/consultations/${c.id}`).expect(200)).body as ConsultationView).counts;
  const queue = async () => (await m.get(m.mediator, `/consultations/${c.id}/statements`).expect(200)).body as ModerationItem[];
  const RETRIED = 'Written while the database was away.';
  const writeRetried = () => door().post('/statements', { text: RETRIED });
  const voteRetried = () => door().post('/votes', { statementId: approvedIds[0], vote: 'agree' });

  const before = {} as { me: RespondentView; counts: ConsultationCounts };
  /** Answers to requests caught mid-transaction by the stop, then to requests sent while it was stopped. */
  const during = {} as { inFlight: Answer[]; whileDown: Answer[]; slowestWhileDownMs: number };
  const after = {} as { me: RespondentView; counts: ConsultationCounts; readyMs: number };

  /**
   * Sends a statement and a vote and returns them unanswered, each inside its transaction: the
   * statement numbered (the consultation's counter written) and waiting to insert, its respondent's
   * row being locked by another client; the vote waiting for the consultation the statement locks.
   */
  async function caughtMidTransaction(): Promise<Array<Promise<Answer>>> {
    const blocker = new Client({ connectionString: cluster.url });
    blocker.on('error', () => undefined); // the stop ends its connection too
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT id FROM consultation_respondents WHERE consultation_id = $1 FOR UPDATE', [c.id]);
    const waiting = async (n: number) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const { rows } = await blocker.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
        );
        if (rows[0].n >= n) return;
        if (Date.now() > deadline) throw new Error(`${rows[0].n} of ${n} requests waiting on a lock after 10 s`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const statement = Promise.resolve(writeRetried());
    await waiting(1);
    const vote = Promise.resolve(voteRetried());
    await waiting(2);
    return [statement, vote];
  }

  beforeAll(async () => {
    cluster = new PgCluster(await freePort());
    cluster.init();
    cluster.start();
    app = await startApp({}, { url: cluster.url });
    m = await startMediation(app);
    ({ c, approvedIds } = await consultationToVoteOn(app, m, 1));
    me = await startRespondent(app, c.groups[0].link, 0);
    await door().post('/statements', { text: 'Written before the outage.' }).expect(201);
    before.me = (await door().get('/me').expect(200)).body as RespondentView;
    before.counts = await counts();

    const inFlight = await caughtMidTransaction();
    cluster.stop('fast');
    during.inFlight = await Promise.all(inFlight);
    during.whileDown = [];
    during.slowestWhileDownMs = 0;
    for (const send of [writeRetried, voteRetried, () => door().get('/me')]) {
      const at = Date.now();
      during.whileDown.push(await send());
      during.slowestWhileDownMs = Math.max(during.slowestWhileDownMs, Date.now() - at);
    }

    const startedAt = Date.now();
    cluster.start();
    // Nothing is done to the API: it finds the database again by itself.
    const deadline = Date.now() + 30_000;
    while ((await app.http().get('/api/health/ready')).status !== 200) {
      if (Date.now() > deadline) throw new Error('the API did not find the database again within 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    after.readyMs = Date.now() - startedAt;
    after.me = (await door().get('/me').expect(200)).body as RespondentView;
    after.counts = await counts();
    console.log(`consultation outage: ${JSON.stringify({ slowestWhileDownMs: during.slowestWhileDownMs, readyMs: after.readyMs })}`);
  }, 180_000);

  afterAll(async () => {
    m?.close();
    await app?.close();
    cluster?.destroy();
  });

  it('answers a statement and a vote with the outage’s code (503 DATABASE_UNAVAILABLE, retryable), not a 500: in flight, and at once while down', () => {
    const unavailable = { status: 503, body: expect.objectContaining({ statusCode: 503, code: 'DATABASE_UNAVAILABLE', retryable: true }) };
    expect(during.inFlight).toEqual([expect.objectContaining(unavailable), expect.objectContaining(unavailable)]);
    expect(during.whileDown).toEqual([0, 1, 2].map(() => expect.objectContaining(unavailable)));
    expect(during.slowestWhileDownMs).toBeLessThan(6000);
  });

  it('stored nothing of what it refused: the same return code finds the respondent as before', () => {
    expect(after.me).toEqual(before.me);
    expect(after.counts).toEqual(before.counts);
  });

  it('the respondent goes on with the same return code: the statement retried is stored once, numbered next, and the vote once', async () => {
    expect((await writeRetried()).status).toBe(201);
    expect((await voteRetried()).status).toBe(200);
    const statements = await queue();
    expect(statements.filter((s) => s.text === RETRIED)).toHaveLength(1);
    // The number the statement caught in flight had taken went back with its transaction.
    expect(statements.map((s) => s.number)).toEqual(statements.map((_, i) => i + 1));
    expect(((await door().get('/me').expect(200)).body as RespondentView).statements.map((s) => s.text)).toEqual([
      'Written before the outage.',
      RETRIED,
    ]);
    expect(await counts()).toEqual({ ...before.counts, pending: before.counts.pending + 1, votes: before.counts.votes + 1 });
  });
});
