import type { AgreementView } from '@parley/contracts';
import { ManualClock } from '@parley/platform';
import { useMediation } from './support/mediation';
import type { Person } from './support/people';

/** Few enough that a test reaches the account's sign-in lockout with wrong re-authentications. */
const ACCOUNT_FAILURES = 3;

type Entry = { type: string; actorUserId?: string; payload: Record<string, unknown> };

/**
 * Deleting a clause takes the mediator's password again, as signing off takes the head's: a valid
 * token is not enough. A wrong password deletes nothing and enters nothing in the audit chain, and
 * counts like a failed sign-in; no password is refused; the right one deletes, and the deletion's
 * audit entry says that the password was checked, and when, but never holds it. Delegations and
 * observers are refused as before, whatever they send.
 */
describe('deleting a clause: the mediator re-enters their password', () => {
  const clock = new ManualClock();
  const { app, m } = useMediation({ RATE_LIMIT_SIGN_IN_ACCOUNT: `${ACCOUNT_FAILURES}/60` }, { clock });
  const WRONG = 'not the right password at all';
  let kept: string;
  let doomed: { id: string; version: number };

  const changes = (who: Person, body: object) => m().post(who, '/agreement/changes', body);
  const del = () => ({ kind: 'delete', clauseId: doomed.id, baseVersion: doomed.version });
  const text = async (): Promise<AgreementView> => (await m().get(m().mediator, '/agreement').expect(200)).body;
  const auditEntries = async (): Promise<Entry[]> => (await m().get(m().mediator, '/audit').expect(200)).body.entries;
  /** What a refusal must leave as it was: the text (its revision too) and the audit chain. */
  const fingerprint = async () => JSON.stringify({ text: await text(), audit: (await auditEntries()).length });

  beforeAll(async () => {
    const insert = async (wording: string): Promise<AgreementView & { clauseId: string; version: number }> =>
      (await changes(m().mediator, { change: { kind: 'insert', afterClauseId: null, wording: { text: wording } } }).expect(201)).body;
    kept = (await insert('The parties observe a ceasefire.')).clauseId;
    const made = await insert('Elections are held within [one year].');
    doomed = { id: made.clauseId, version: made.version };
  });

  it('is documented in the OpenAPI document: an optional, write-only password beside the change', async () => {
    const doc = (await app().http().get('/api/docs-json').expect(200)).body;
    const dto = doc.components.schemas.DirectEditDto;
    expect(dto.required ?? []).not.toContain('password');
    expect(dto.properties.password).toMatchObject({ type: 'string', format: 'password', writeOnly: true });
    const op = doc.paths['/api/sessions/{sessionId}/agreement/changes'].post;
    expect(JSON.stringify(op.requestBody)).toContain('#/components/schemas/DirectEditDto');
    // A proposal takes no password.
    expect(doc.components.schemas.ProposeDto.properties.password).toBeUndefined();
  });

  describe('with a valid token but a wrong password', () => {
    let refused: { status: number; body: Record<string, unknown> };
    let before: string;
    let after: string;

    beforeAll(async () => {
      before = await fingerprint();
      const res = await changes(m().mediator, { change: del(), password: WRONG });
      refused = { status: res.status, body: res.body };
      after = await fingerprint();
    });

    it('is refused 401 INVALID_CREDENTIALS on the password field, saying nothing was deleted', () => {
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ code: 'INVALID_CREDENTIALS', field: 'password' });
      expect(refused.body.message).toMatch(/nothing was deleted/);
    });

    it('leaves the clause, the text and the audit chain as they were', async () => {
      expect(after).toBe(before);
      expect((await text()).clauses.map((c) => c.id)).toContain(doomed.id);
    });
  });

  it('without a password is refused 400 VALIDATION_FAILED on the password field, and changes nothing', async () => {
    const before = await fingerprint();
    expect((await changes(m().mediator, { change: del() }).expect(400)).body).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'password',
    });
    expect(await fingerprint()).toBe(before);
  });

  it('an empty or null password is refused by validation', async () => {
    const before = await fingerprint();
    for (const password of ['', null])
      expect((await changes(m().mediator, { change: del(), password }).expect(400)).body).toMatchObject({
        code: 'VALIDATION_FAILED',
        field: 'password',
      });
    expect(await fingerprint()).toBe(before);
  });

  it('a password with another kind of change is refused, and nothing changes', async () => {
    const before = await fingerprint();
    const replace = { kind: 'replace', clauseId: kept, baseVersion: 1, wording: { text: 'The parties observe a truce.' } };
    expect((await changes(m().mediator, { change: replace, password: m().mediator.password }).expect(400)).body).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'password',
    });
    expect(await fingerprint()).toBe(before);
  });

  it('over Socket.IO, which carries no password, a delete is refused and changes nothing', async () => {
    const before = await fingerprint();
    const ack = await m().client(m().mediator).ask('agreement.edit', { change: del() });
    expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'password' } });
    expect(await fingerprint()).toBe(before);
  });

  it.each([
    ['a member of a delegation', 'a2', 'MEDIATOR_ONLY'],
    ['a head of delegation', 'a1', 'MEDIATOR_ONLY'],
    ['an observer', 'observer', 'OBSERVER_READ_ONLY'],
  ] as const)('%s is refused 403 as before, with or without their own password, and nothing changes', async (_who, key, code) => {
    const who = m()[key];
    const before = await fingerprint();
    for (const body of [{ change: del(), password: who.password }, { change: del() }, { change: del(), password: WRONG }])
      expect((await changes(who, body).expect(403)).body.code).toBe(code);
    expect(await fingerprint()).toBe(before);
  });

  describe('with the right password', () => {
    let deleted: AgreementView & { clauseId: string; version: number };
    let entry: Entry | undefined;
    let auditText: string;
    let expectedAt: string;

    beforeAll(async () => {
      clock.advance(4_321);
      expectedAt = new Date(clock.now()).toISOString();
      deleted = (await changes(m().mediator, { change: del(), password: m().mediator.password }).expect(201)).body;
      const entries = await auditEntries();
      entry = entries.filter((e) => e.type === 'agreement.clause.versioned').pop();
      auditText = JSON.stringify(entries);
    });

    it('deletes the clause', () => {
      expect(deleted.clauses.map((c) => c.id)).toEqual([kept]);
      expect(deleted).toMatchObject({ clauseId: doomed.id, version: doomed.version + 1 });
    });

    it('records in the deletion’s audit entry that the password was checked again, and when', () => {
      expect(entry?.actorUserId).toBe(m().mediator.userId);
      expect(entry?.payload).toMatchObject({
        clauseId: doomed.id,
        changeKind: 'deleted',
        deleted: true,
        reauthenticated: 'password',
        reauthenticatedAt: expectedAt,
      });
    });

    it('keeps no password in the audit chain', () => {
      expect(auditText).not.toContain(m().mediator.password);
      expect(auditText).not.toContain(WRONG);
    });

    it('other changes of the text record no re-authentication', async () => {
      await changes(m().mediator, {
        change: { kind: 'replace', clauseId: kept, baseVersion: 1, wording: { text: 'The parties observe a truce.' } },
      }).expect(201);
      const last = (await auditEntries()).filter((e) => e.type === 'agreement.clause.versioned').pop();
      expect(last?.payload).toMatchObject({ clauseId: kept, changeKind: 'edited' });
      expect(last?.payload).not.toHaveProperty('reauthenticated');
    });
  });

  describe('wrong re-authentications count towards the sign-in limits', () => {
    let answers: number[];
    let signIn: { status: number; code: string };
    let target: { id: string; version: number };

    beforeAll(async () => {
      const { mediator } = m();
      const current = (await text()).clauses[0];
      target = { id: current.id, version: current.version };
      answers = [];
      const wrong = { change: { kind: 'delete', clauseId: target.id, baseVersion: target.version }, password: WRONG };
      for (let i = 0; i < ACCOUNT_FAILURES + 1; i++) answers.push((await changes(mediator, wrong)).status);
      const res = await app().http().post('/api/auth/login').send({ email: mediator.email, password: mediator.password });
      signIn = { status: res.status, code: res.body.code };
    });

    it('refuses the attempt past the limit 429 before the password is looked at', () => {
      expect(answers).toEqual([...Array(ACCOUNT_FAILURES).fill(401), 429]);
    });

    it('locks signing in to that account, the right password included', () => {
      expect(signIn).toEqual({ status: 429, code: 'RATE_LIMITED' });
    });

    it('and the clause is still there', async () => {
      expect((await text()).clauses.map((c) => c.id)).toEqual([target.id]);
    });
  });
});
