import { randomBytes, randomUUID } from 'node:crypto';
import type { ConsultationView } from '@parley/contracts';
import { CONSULTATION_LIMITS } from '@parley/contracts';
import { createConsultation, consultationSpec, respondentHttp, startRespondent } from './support/consultation';
import { startApp, type TestApp } from './support/harness';
import { expectLimited } from './support/limits';
import { startMediation, useMediation, type Mediation } from './support/mediation';

/**
 * Issue 19's bad input and edges: every refusal has its status, code and field, and changes
 * nothing (the counts are read again after). Links that are unknown or malformed, a consultation
 * not yet open or closed, codes missing, wrong, of another group or used, return codes that are not
 * one, statements empty, too long, over the cap or in bulk, votes on what is not approved, on one's
 * own, twice (in a race too), moderation and summaries that name the wrong statements.
 */
const expectRefused = (res: { status: number; body: { code?: string; field?: string } }, status: number, code: string, field?: string) => {
  expect({ status: res.status, code: res.body.code, ...(field !== undefined ? { field: res.body.field } : {}) }).toEqual({
    status,
    code,
    ...(field !== undefined ? { field } : {}),
  });
};

describe('consultation: bad input is refused with its code and field, and changes nothing', () => {
  const { app, m } = useMediation();
  let c: ConsultationView;
  const counts = async () => (await m().get(m().mediator, `/consultations/${c.id}`).expect(200)).body.counts;

  beforeAll(async () => {
    c = await createConsultation(m(), { requireCode: true });
  });

  it.each([
    ['no title', { title: '' }, 'VALIDATION_FAILED', 'title'],
    ['a blank title', { title: '   ' }, 'VALIDATION_FAILED', 'title'],
    ['a blank prompt', { prompt: ' \n ' }, 'VALIDATION_FAILED', 'prompt'],
    ['an excerpt with no text', { excerpts: [{ heading: 'Clause 2', text: '  ' }] }, 'VALIDATION_FAILED', 'excerpts.0.text'],
    ['a title too long', { title: 'x'.repeat(CONSULTATION_LIMITS.titleMaxLength + 1) }, 'VALIDATION_FAILED', 'title'],
    ['closing before opening', { opensAt: '2030-01-02T00:00:00Z', closesAt: '2030-01-01T00:00:00Z' }, 'VALIDATION_FAILED', 'closesAt'],
    ['closing in the past', { closesAt: '2020-01-01T00:00:00Z' }, 'VALIDATION_FAILED', 'closesAt'],
    ['a date that is none', { closesAt: 'next week' }, 'VALIDATION_FAILED', 'closesAt'],
    ['no group', { groups: [] }, 'VALIDATION_FAILED', 'groups'],
    ['two groups of one name', { groups: [{ name: 'Youth' }, { name: ' youth ' }] }, 'VALIDATION_FAILED', 'groups.1.name'],
    ['a language that is none', { languages: ['english!'] }, 'LANGUAGE_INVALID', 'languages'],
    ['no language', { languages: [] }, 'VALIDATION_FAILED', 'languages'],
    ['requireCode not a boolean', { requireCode: 'yes' }, 'VALIDATION_FAILED', 'requireCode'],
  ])('creating with %s: refused', async (_what, over, code, field) => {
    const before = (await m().get(m().mediator, '/consultations').expect(200)).body.length;
    expectRefused(
      await m().post(m().mediator, '/consultations', { ...consultationSpec(), ...over }),
      code === 'LANGUAGE_INVALID' ? 400 : 400,
      code,
      field,
    );
    expect((await m().get(m().mediator, '/consultations').expect(200)).body.length).toBe(before);
  });

  it('unknown and malformed links and ids answer 404, the same for each', async () => {
    for (const link of [randomBytes(16).toString('base64url'), 'short', `${c.groups[0].link}x`]) {
      expectRefused(await respondentHttp(app(), { link }).get(), 404, 'CONSULTATION_LINK_UNKNOWN', 'link');
      expectRefused(await respondentHttp(app(), { link }).post('/respondents', {}), 404, 'CONSULTATION_LINK_UNKNOWN', 'link');
    }
    expectRefused(await m().get(m().mediator, `/consultations/${randomUUID()}`), 404, 'CONSULTATION_NOT_FOUND', 'consultationId');
    expectRefused(await m().get(m().mediator, '/consultations/not-an-id'), 400, 'VALIDATION_FAILED', 'consultationId');
  });

  it('codes: missing, wrong, of another group, used; typed in lower case without dashes it works', async () => {
    const link = c.groups[0].link;
    const [mine, second] = (await m().post(m().mediator, `/consultations/${c.id}/groups/${c.groups[0].id}/codes`, { count: 2 }).expect(201))
      .body.codes;
    const [theirs] = (await m().post(m().mediator, `/consultations/${c.id}/groups/${c.groups[1].id}/codes`, { count: 1 }).expect(201)).body
      .codes;
    const door = respondentHttp(app(), { link });
    expectRefused(await door.post('/respondents', {}), 401, 'RESPONDENT_CODE_REQUIRED', 'code');
    expectRefused(await door.post('/respondents', { code: 'not a code' }), 403, 'RESPONDENT_CODE_INVALID', 'code');
    expectRefused(await door.post('/respondents', { code: '0000-0000-0000-0000' }), 403, 'RESPONDENT_CODE_INVALID', 'code');
    expectRefused(await door.post('/respondents', { code: theirs }), 403, 'RESPONDENT_CODE_INVALID', 'code');
    expectRefused(await door.post('/respondents', { code: 42 }), 400, 'VALIDATION_FAILED', 'code');
    expect((await counts()).respondents).toBe(0);
    await startRespondent(app(), link, 0, mine.toLowerCase().replace(/-/g, ''));
    expectRefused(await door.post('/respondents', { code: mine }), 409, 'RESPONDENT_CODE_USED', 'code');
    // Two at once with one code: one respondent.
    const race = await Promise.all([door.post('/respondents', { code: second }), door.post('/respondents', { code: second })]);
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await counts()).respondents).toBe(2);
    const view = (await m().get(m().mediator, `/consultations/${c.id}`).expect(200)).body as ConsultationView;
    expect(view.groups.map((g) => [g.codesIssued, g.codesUsed])).toEqual([
      [2, 2],
      [1, 0],
      [0, 0],
    ]);
  });

  it('issuing codes: a count out of bounds or a group of another consultation is refused', async () => {
    const path = `/consultations/${c.id}/groups/${c.groups[2].id}/codes`;
    expectRefused(await m().post(m().mediator, path, { count: 0 }), 400, 'VALIDATION_FAILED', 'count');
    expectRefused(
      await m().post(m().mediator, path, { count: CONSULTATION_LIMITS.codesPerBatchMax + 1 }),
      400,
      'VALIDATION_FAILED',
      'count',
    );
    expectRefused(
      await m().post(m().mediator, `/consultations/${c.id}/groups/${randomUUID()}/codes`, { count: 1 }),
      404,
      'CONSULTATION_NOT_FOUND',
      'groupId',
    );
    expect((await m().get(m().mediator, `/consultations/${c.id}`).expect(200)).body.groups[2].codesIssued).toBe(0);
  });

  describe('a respondent (no code required)', () => {
    let open: ConsultationView;
    let link: string;
    let me: Awaited<ReturnType<typeof startRespondent>>;
    let other: Awaited<ReturnType<typeof startRespondent>>;
    beforeAll(async () => {
      open = await createConsultation(m(), { title: 'Open to all' });
      link = open.groups[0].link;
      me = await startRespondent(app(), link, 0);
      other = await startRespondent(app(), link, 0);
    });
    const openCounts = async () => (await m().get(m().mediator, `/consultations/${open.id}`).expect(200)).body.counts;

    it('without a return code, with a wrong one, or on another group’s link, is unknown', async () => {
      expectRefused(await respondentHttp(app(), { link }).get('/me'), 401, 'RESPONDENT_UNKNOWN', 'x-respondent-code');
      expectRefused(await respondentHttp(app(), { link, returnCode: 'ABCD' }).get('/me'), 401, 'RESPONDENT_UNKNOWN');
      expectRefused(await respondentHttp(app(), { link, returnCode: '0000-0000-0000-0000' }).get('/ballot'), 401, 'RESPONDENT_UNKNOWN');
      expectRefused(
        await respondentHttp(app(), { link: open.groups[1].link, returnCode: me.returnCode }).get('/me'),
        401,
        'RESPONDENT_UNKNOWN',
      );
      expectRefused(
        await respondentHttp(app(), { link: c.groups[0].link, returnCode: me.returnCode }).post('/statements', { text: 'Hi' }),
        401,
        'RESPONDENT_UNKNOWN',
      );
      expect((await openCounts()).pending).toBe(0);
    });

    it('statements: empty, too long, not text, over the cap', async () => {
      const door = respondentHttp(app(), me);
      expectRefused(await door.post('/statements', { text: '   ' }), 400, 'VALIDATION_FAILED', 'text');
      expectRefused(
        await door.post('/statements', { text: 'x'.repeat(CONSULTATION_LIMITS.statementMaxLength + 1) }),
        400,
        'VALIDATION_FAILED',
        'text',
      );
      expectRefused(await door.post('/statements', { text: ['a'] }), 400, 'VALIDATION_FAILED', 'text');
      expectRefused(await door.post('/statements', {}), 400, 'VALIDATION_FAILED', 'text');
      expect((await openCounts()).pending).toBe(0);
      // The cap counts characters as people do: 280 Arabic letters fit.
      expect((await door.post('/statements', { text: 'ب'.repeat(CONSULTATION_LIMITS.statementMaxLength) })).status).toBe(201);
      for (let i = 1; i < CONSULTATION_LIMITS.statementsPerRespondent; i++)
        expect((await door.post('/statements', { text: `Point ${i}` })).status).toBe(201);
      expectRefused(await door.post('/statements', { text: 'One more' }), 409, 'STATEMENT_LIMIT_REACHED', 'text');
      expect((await openCounts()).pending).toBe(CONSULTATION_LIMITS.statementsPerRespondent);
      expect((await door.get('/me').expect(200)).body.statementsLeft).toBe(0);
    });

    it('moderation: no reason, a merge into a pending one or itself, an unknown statement, a decision that is none', async () => {
      const queue = (await m().get(m().mediator, `/consultations/${open.id}/statements?status=pending`).expect(200)).body;
      const [a, b] = queue;
      const mod = (id: string, body: object) => m().post(m().mediator, `/consultations/${open.id}/statements/${id}/moderation`, body);
      expectRefused(await mod(a.id, { decision: 'reject' }), 400, 'VALIDATION_FAILED', 'reason');
      expectRefused(await mod(a.id, { decision: 'reject', reason: 'rude' }), 400, 'VALIDATION_FAILED', 'reason');
      expectRefused(await mod(a.id, { decision: 'merge', into: b.id }), 422, 'MERGE_TARGET_INVALID', 'into');
      expectRefused(await mod(a.id, { decision: 'merge' }), 400, 'VALIDATION_FAILED', 'into');
      expectRefused(await mod(a.id, { decision: 'publish' }), 400, 'VALIDATION_FAILED', 'decision');
      expectRefused(await mod(randomUUID(), { decision: 'approve' }), 404, 'STATEMENT_NOT_FOUND', 'statementId');
      expectRefused(await m().get(m().mediator, `/consultations/${open.id}/statements?status=lost`), 400, 'VALIDATION_FAILED', 'status');
      expect(await openCounts()).toMatchObject({ pending: 5, approved: 0, rejected: 0, merged: 0 });
      await mod(b.id, { decision: 'approve' }).expect(200);
      expectRefused(await mod(b.id, { decision: 'merge', into: b.id }), 409, 'STATEMENT_ALREADY_MODERATED');
      expectRefused(await mod(a.id, { decision: 'merge', into: a.id }), 422, 'MERGE_TARGET_INVALID', 'into');
    });

    it('votes: on what is not approved, one’s own, a value that is none, twice, and twice at once', async () => {
      const queue = (await m().get(m().mediator, `/consultations/${open.id}/statements`).expect(200)).body;
      const approved = queue.find((s: { status: string }) => s.status === 'approved');
      const pending = queue.find((s: { status: string }) => s.status === 'pending');
      const mine = respondentHttp(app(), me);
      const theirs = respondentHttp(app(), other);
      expectRefused(await mine.post('/votes', { statementId: approved.id, vote: 'agree' }), 409, 'VOTE_OWN_STATEMENT', 'statementId');
      expectRefused(await theirs.post('/votes', { statementId: pending.id, vote: 'agree' }), 404, 'STATEMENT_NOT_FOUND', 'statementId');
      expectRefused(await theirs.post('/votes', { statementId: randomUUID(), vote: 'agree' }), 404, 'STATEMENT_NOT_FOUND', 'statementId');
      expectRefused(await theirs.post('/votes', { statementId: approved.id, vote: 'maybe' }), 400, 'VALIDATION_FAILED', 'vote');
      expectRefused(await theirs.post('/votes', { statementId: 'x', vote: 'agree' }), 400, 'VALIDATION_FAILED', 'statementId');
      expect((await openCounts()).votes).toBe(0);
      const race = await Promise.all(Array.from({ length: 6 }, () => theirs.post('/votes', { statementId: approved.id, vote: 'agree' })));
      expect(race.filter((r) => r.status === 200)).toHaveLength(1);
      for (const r of race.filter((x) => x.status !== 200)) expectRefused(r, 409, 'VOTE_ALREADY_CAST', 'statementId');
      expect((await openCounts()).votes).toBe(1);
    });

    it('summaries: a statement not approved, one chosen twice, none', async () => {
      const queue = (await m().get(m().mediator, `/consultations/${open.id}/statements`).expect(200)).body;
      const approved = queue.find((s: { status: string }) => s.status === 'approved');
      const pending = queue.find((s: { status: string }) => s.status === 'pending');
      const table = (body: object) => m().post(m().mediator, `/consultations/${open.id}/summaries`, body);
      expectRefused(await table({ title: 'S', statementIds: [pending.id] }), 422, 'SUMMARY_STATEMENT_INVALID', 'statementIds.0');
      expectRefused(
        await table({ title: 'S', statementIds: [approved.id, approved.id] }),
        422,
        'SUMMARY_STATEMENT_INVALID',
        'statementIds.1',
      );
      expectRefused(await table({ title: 'S', statementIds: [] }), 400, 'VALIDATION_FAILED', 'statementIds');
      expectRefused(await table({ title: '', statementIds: [approved.id] }), 400, 'VALIDATION_FAILED', 'title');
      expectRefused(await table({ title: '  ', statementIds: [approved.id] }), 400, 'VALIDATION_FAILED', 'title');
      expect((await m().get(m().mediator, '/consultation-summaries').expect(200)).body).toEqual([]);
    });

    it('closing: verification before it is refused, a second closing too', async () => {
      expectRefused(await m().get(m().mediator, `/consultations/${open.id}/results/verification`), 409, 'CONSULTATION_NOT_CLOSED');
      await m().post(m().mediator, `/consultations/${open.id}/close`).expect(200);
      expectRefused(await m().post(m().mediator, `/consultations/${open.id}/close`), 409, 'CONSULTATION_CLOSED');
      expectRefused(
        await m().post(m().mediator, `/consultations/${open.id}/groups/${open.groups[0].id}/codes`, { count: 1 }),
        409,
        'CONSULTATION_CLOSED',
      );
      expectRefused(await respondentHttp(app(), other).post('/statements', { text: 'Late' }), 409, 'CONSULTATION_CLOSED');
      expectRefused(await respondentHttp(app(), { link }).post('/respondents', {}), 409, 'CONSULTATION_CLOSED');
      expect((await m().get(m().mediator, `/consultations/${open.id}/results/verification`).expect(200)).body).toMatchObject({
        hashMatches: true,
        recomputedMatches: true,
      });
    });
  });

  it('a consultation not open yet shows when it opens and takes nobody', async () => {
    const later = await createConsultation(m(), { title: 'Later', opensAt: new Date(Date.now() + 86_400_000).toISOString() });
    const door = respondentHttp(app(), { link: later.groups[0].link });
    expect((await door.get().expect(200)).body.status).toBe('scheduled');
    expectRefused(await door.post('/respondents', {}), 409, 'CONSULTATION_NOT_OPEN');
    expect((await m().get(m().mediator, `/consultations/${later.id}`).expect(200)).body.counts.respondents).toBe(0);
  });
});

describe('consultation: statements in bulk from one code, and one address hammering, are limited', () => {
  let app: TestApp;
  let m: Mediation;
  beforeAll(async () => {
    app = await startApp({ RATE_LIMIT_CONSULTATION_STATEMENTS: '3/60', RATE_LIMIT_CONSULTATION_ADDRESS: '40/60' });
    m = await startMediation(app);
  });
  afterAll(async () => {
    m.close();
    await app.close();
  });

  it('a fourth statement within the minute is refused RATE_LIMITED, and not stored', async () => {
    const c = await createConsultation(m);
    const r = await startRespondent(app, c.groups[0].link, 0);
    const door = respondentHttp(app, r);
    for (let i = 0; i < 3; i++) expect((await door.post('/statements', { text: `Bulk ${i}` })).status).toBe(201);
    expectLimited(await door.post('/statements', { text: 'Bulk 3' }));
    expect((await m.get(m.mediator, `/consultations/${c.id}`).expect(200)).body.counts.pending).toBe(3);
    // The address's budget is spent by any request of the page, links that do not exist included.
    let last = 0;
    for (let i = 0; i < 40 && last !== 429; i++)
      last = (await respondentHttp(app, { link: randomBytes(16).toString('base64url') }).get()).status;
    expectLimited(await respondentHttp(app, { link: c.groups[0].link }).get());
  });
});
