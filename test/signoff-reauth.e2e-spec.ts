import type { AgreementView } from '@parley/contracts';
import { ManualClock } from '@parley/platform';
import { useMediation } from './support/mediation';
import type { Person } from './support/people';

/** Few enough that a test reaches the account's sign-in lockout with wrong re-authentications. */
const ACCOUNT_FAILURES = 3;

/**
 * The sign-off ceremony on the server: a valid token is not enough to sign off, the head of
 * delegation's password is checked afresh at that moment. A wrong one records nothing — no
 * sign-off, no audit entry — and counts like a failed sign-in; the right one signs, and the audit
 * entry of the sign-off says that the password was checked, and when, but never holds it.
 */
describe('sign-off: the head of delegation re-enters their password', () => {
  const clock = new ManualClock();
  const { app, m } = useMediation({ RATE_LIMIT_SIGN_IN_ACCOUNT: `${ACCOUNT_FAILURES}/60` }, { clock });
  const WRONG = 'not the right password at all';
  let sha256: string;

  const signOff = (who: Person, body: object) => m().post(who, '/agreement/sign-off', body);
  const text = async (who: Person): Promise<AgreementView> => (await m().get(who, '/agreement').expect(200)).body;
  const auditEntries = async (): Promise<{ type: string; payload: Record<string, unknown> }[]> =>
    (await m().get(m().mediator, '/audit').expect(200)).body.entries;

  beforeAll(async () => {
    const { mediator, a1, b1 } = m();
    const v: AgreementView = (
      await m()
        .post(mediator, '/agreement/changes', {
          change: { kind: 'insert', heading: 'Security', wording: { text: 'The parties observe a ceasefire.' } },
        })
        .expect(201)
    ).body;
    const clause = v.clauses[0];
    for (const level of ['ad_referendum', 'agreed'])
      for (const head of [a1, b1])
        await m().post(head, `/agreement/clauses/${clause.id}/mark`, { baseVersion: clause.version, level }).expect(200);
    sha256 = (await m().post(mediator, '/agreement/finalise').expect(200)).body.finalSha256;
  });

  it('is documented in the OpenAPI document: the password is required, write-only', async () => {
    const doc = (await app().http().get('/api/docs-json').expect(200)).body;
    const dto = doc.components.schemas.SignOffDto;
    expect(dto.required).toEqual(expect.arrayContaining(['sha256', 'password']));
    expect(dto.properties.password).toMatchObject({ type: 'string', format: 'password', writeOnly: true });
  });

  describe('with a valid token but a wrong password', () => {
    let refused: { status: number; body: Record<string, unknown> };
    let entriesBefore: number;
    let entriesAfter: { type: string }[];
    let after: AgreementView;

    beforeAll(async () => {
      entriesBefore = (await auditEntries()).length;
      const res = await signOff(m().a1, { sha256, password: WRONG });
      refused = { status: res.status, body: res.body };
      entriesAfter = await auditEntries();
      after = await text(m().a1);
    });

    it('is refused 401 INVALID_CREDENTIALS on the password field', () => {
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ code: 'INVALID_CREDENTIALS', field: 'password' });
    });

    it('records no sign-off and no audit entry', () => {
      expect(after.signOffs).toEqual([]);
      expect(after.status).toBe('final');
      expect(entriesAfter).toHaveLength(entriesBefore);
      expect(entriesAfter.filter((e) => e.type === 'agreement.signed_off')).toEqual([]);
    });
  });

  it('without a password is refused 400 VALIDATION_FAILED on the password field, and records nothing', async () => {
    const res = await signOff(m().a1, { sha256 }).expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'password' });
    expect((await text(m().a1)).signOffs).toEqual([]);
  });

  describe('with the right password', () => {
    let signed: AgreementView;
    let entry: { type: string; actorUserId?: string; payload: Record<string, unknown> } | undefined;
    let auditText: string;
    const at = () => new Date(clock.now()).toISOString();
    let expectedAt: string;

    beforeAll(async () => {
      clock.advance(1_234);
      expectedAt = at();
      signed = (await signOff(m().a1, { sha256, password: m().a1.password }).expect(200)).body;
      const entries = await auditEntries();
      entry = entries.find((e) => e.type === 'agreement.signed_off');
      auditText = JSON.stringify(entries);
    });

    it('signs off', () => {
      expect(signed.signOffs.map((s) => [s.partyId, s.sha256])).toEqual([[m().partyA, sha256]]);
    });

    it('records in the audit entry that the password was checked again, and when', () => {
      expect(entry?.payload).toMatchObject({ partyId: m().partyA, sha256, reauthenticated: 'password', reauthenticatedAt: expectedAt });
    });

    it('keeps no password in the audit chain', () => {
      expect(auditText).not.toContain(m().a1.password);
      expect(auditText).not.toContain(WRONG);
    });
  });

  describe('wrong re-authentications count towards the sign-in limits', () => {
    let answers: number[];
    let signIn: { status: number; code: string };

    beforeAll(async () => {
      const { b1 } = m();
      answers = [];
      for (let i = 0; i < ACCOUNT_FAILURES + 1; i++) answers.push((await signOff(b1, { sha256, password: WRONG })).status);
      const res = await app().http().post('/api/auth/login').send({ email: b1.email, password: b1.password });
      signIn = { status: res.status, code: res.body.code };
    });

    it('refuses the attempt past the limit 429 before the password is looked at', () => {
      expect(answers).toEqual([...Array(ACCOUNT_FAILURES).fill(401), 429]);
    });

    it('locks signing in to that account, the right password included', () => {
      expect(signIn).toEqual({ status: 429, code: 'RATE_LIMITED' });
    });

    it('and the head still has not signed off', async () => {
      expect((await text(m().b1)).signOffs.map((s) => s.partyId)).toEqual([m().partyA]);
    });
  });
});
