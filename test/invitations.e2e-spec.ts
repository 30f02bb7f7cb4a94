import { DataSource } from 'typeorm';
import type { SessionView } from '@parley/contracts';
import { startApp, type TestApp } from './support/harness';
import { bearer, createSession, register, type Person } from './support/people';

/** Single-use, expiring invitation links that create or link an account and give a role. */
describe('invitations', () => {
  let app: TestApp;
  let mediator: Person;
  let session: SessionView;
  const invite = (body: object, who: Person = mediator) =>
    app.http().post(`/api/sessions/${session.id}/invitations`).set(bearer(who)).send(body);
  const participantCount = async () =>
    (await app.http().get(`/api/sessions/${session.id}/participants`).set(bearer(mediator)).expect(200)).body.length;

  beforeAll(async () => {
    app = await startApp();
    mediator = await register(app, 'Mediator');
    session = await createSession(app, mediator, ['East', 'West']);
  });
  afterAll(() => app.close());

  it('previews what the link is for, without signing in', async () => {
    const inv = await invite({ role: 'party_member', partyId: session.parties[0].id, isHead: true }).expect(201);
    expect(inv.body.url).toMatch(new RegExp(`/invitations/${inv.body.token}$`));
    const res = await app.http().get(`/api/invitations/${inv.body.token}`).expect(200);
    expect(res.body).toMatchObject({ sessionTitle: 'Harbour concession talks', role: 'party_member', partyName: 'East', isHead: true });
  });

  it('creates an account on acceptance, then refuses the same link a second time', async () => {
    const inv = await invite({ role: 'observer' }).expect(201);
    const before = await participantCount();
    const first = await app
      .http()
      .post(`/api/invitations/${inv.body.token}/accept`)
      .send({ email: 'new.observer@parley.test', password: 'observer password', displayName: 'New Observer' })
      .expect(201);
    expect(first.body.participant).toMatchObject({ role: 'observer', displayName: 'New Observer' });
    expect(first.body.accessToken).toBeTruthy();
    const second = await app
      .http()
      .post(`/api/invitations/${inv.body.token}/accept`)
      .send({ email: 'someone.else@parley.test', password: 'another password', displayName: 'Else' })
      .expect(409);
    expect(second.body).toMatchObject({ code: 'INVITATION_USED', field: 'token' });
    expect(await participantCount()).toBe(before + 1);
  });

  it('links an existing, signed-in account', async () => {
    const existing = await register(app, 'Existing Person');
    const inv = await invite({ role: 'party_member', partyId: session.parties[1].id }).expect(201);
    const res = await app.http().post(`/api/invitations/${inv.body.token}/accept`).set(bearer(existing)).send({}).expect(201);
    expect(res.body.participant.userId).toBe(existing.userId);
    const mine = await app.http().get('/api/sessions').set(bearer(existing)).expect(200);
    expect(mine.body).toEqual([expect.objectContaining({ id: session.id, myRole: 'party_member' })]);
  });

  it('links an existing account by its credentials, and refuses a wrong password', async () => {
    const existing = await register(app, 'Credentials Person');
    const inv = await invite({ role: 'observer' }).expect(201);
    const wrong = await app
      .http()
      .post(`/api/invitations/${inv.body.token}/accept`)
      .send({ email: existing.email, password: 'wrong password!' })
      .expect(401);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    const ok = await app
      .http()
      .post(`/api/invitations/${inv.body.token}/accept`)
      .send({ email: existing.email, password: existing.password })
      .expect(201);
    expect(ok.body.user.id).toBe(existing.userId);
  });

  it('refuses an account that already takes part', async () => {
    const inv = await invite({ role: 'observer' }).expect(201);
    const res = await app.http().post(`/api/invitations/${inv.body.token}/accept`).set(bearer(mediator)).send({}).expect(409);
    expect(res.body.code).toBe('ALREADY_PARTICIPANT');
    // The refused acceptance did not use the link up.
    const other = await register(app, 'Uses It Later');
    await app.http().post(`/api/invitations/${inv.body.token}/accept`).set(bearer(other)).send({}).expect(201);
  });

  it('refuses an expired link', async () => {
    const inv = await invite({ role: 'observer' }).expect(201);
    await app.app.get(DataSource).query(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [inv.body.id]);
    const res = await app
      .http()
      .post(`/api/invitations/${inv.body.token}/accept`)
      .send({ email: 'late@parley.test', password: 'late password', displayName: 'Late' })
      .expect(410);
    expect(res.body.code).toBe('INVITATION_EXPIRED');
    await app.http().get(`/api/invitations/${inv.body.token}`).expect(410);
    await app.http().post('/api/auth/login').send({ email: 'late@parley.test', password: 'late password' }).expect(401); // no account was made
  });

  it('refuses a revoked link', async () => {
    const inv = await invite({ role: 'observer' }).expect(201);
    await app.http().delete(`/api/sessions/${session.id}/invitations/${inv.body.id}`).set(bearer(mediator)).expect(204);
    const res = await app
      .http()
      .post(`/api/invitations/${inv.body.token}/accept`)
      .send({ email: 'r@parley.test', password: 'revoked password', displayName: 'R' })
      .expect(410);
    expect(res.body.code).toBe('INVITATION_REVOKED');
    const list = await app.http().get(`/api/sessions/${session.id}/invitations`).set(bearer(mediator)).expect(200);
    expect(list.body.find((i: any) => i.id === inv.body.id).status).toBe('revoked');
    expect(JSON.stringify(list.body)).not.toContain(inv.body.token);
  });

  describe('bound to an address, with no mail configured (nothing can prove an address)', () => {
    let holder: Person;
    let bound: { id: string; token: string };
    beforeAll(async () => {
      holder = await register(app, 'Address Holder');
      // The address as typed by the mediator, in another case: it is compared normalised.
      bound = (await invite({ role: 'observer', email: holder.email.toUpperCase() }).expect(201)).body;
    });

    it('binds only to an address an existing account holds', async () => {
      const listed = async () =>
        (await app.http().get(`/api/sessions/${session.id}/invitations`).set(bearer(mediator)).expect(200)).body.length;
      const before = await listed();
      const res = await invite({ role: 'observer', email: 'nobody.yet@parley.test' }).expect(422);
      expect(res.body).toMatchObject({ code: 'INVITATION_ADDRESSEE_UNKNOWN', field: 'email' });
      expect(await listed()).toBe(before);
    });

    it('refuses every other account, and new credentials for the bound address', async () => {
      const other = await register(app, 'Not Bound');
      const signedIn = await app.http().post(`/api/invitations/${bound.token}/accept`).set(bearer(other)).send({}).expect(403);
      expect(signedIn.body.code).toBe('INVITATION_EMAIL_MISMATCH');
      const newAccount = await app
        .http()
        .post(`/api/invitations/${bound.token}/accept`)
        .send({ email: 'someone.new@parley.test', password: 'someone new password', displayName: 'Someone New' })
        .expect(403);
      expect(newAccount.body.code).toBe('INVITATION_EMAIL_MISMATCH');
      await app.http().post('/api/auth/login').send({ email: 'someone.new@parley.test', password: 'someone new password' }).expect(401);
      const wrongPassword = await app
        .http()
        .post(`/api/invitations/${bound.token}/accept`)
        .send({ email: holder.email, password: 'not the holder password', displayName: 'Impostor' })
        .expect(401);
      expect(wrongPassword.body.code).toBe('INVALID_CREDENTIALS');
    });

    it('is accepted by the account holding the address', async () => {
      const res = await app.http().post(`/api/invitations/${bound.token}/accept`).set(bearer(holder)).send({}).expect(201);
      expect(res.body.participant.userId).toBe(holder.userId);
    });
  });

  it('allows one head of delegation per party', async () => {
    const res = await invite({ role: 'party_member', partyId: session.parties[0].id, isHead: true }).expect(201);
    await app
      .http()
      .post(`/api/invitations/${res.body.token}/accept`)
      .send({ email: 'head1@parley.test', password: 'head password', displayName: 'Head 1' })
      .expect(201);
    const second = await invite({ role: 'party_member', partyId: session.parties[0].id, isHead: true }).expect(409);
    expect(second.body).toMatchObject({ code: 'PARTY_HEAD_EXISTS', field: 'isHead' });
  });

  it('lets exactly one of two concurrent acceptances win', async () => {
    const inv = await invite({ role: 'observer' }).expect(201);
    const [x, y] = await Promise.all([register(app, 'Racer X'), register(app, 'Racer Y')]);
    const results = await Promise.all(
      [x, y].map((p) => app.http().post(`/api/invitations/${inv.body.token}/accept`).set(bearer(p)).send({})),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('validates what an invitation says', async () => {
    expect((await invite({ role: 'party_member' }).expect(400)).body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'partyId' });
    expect((await invite({ role: 'observer', partyId: session.parties[0].id }).expect(400)).body).toMatchObject({ field: 'partyId' });
    expect((await invite({ role: 'lead_mediator' }).expect(400)).body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'role' });
    expect((await invite({ role: 'party_member', partyId: '00000000-0000-4000-8000-000000000000' }).expect(404)).body.code).toBe(
      'PARTY_NOT_FOUND',
    );
    expect((await invite({ role: 'observer', email: 'not an address' }).expect(400)).body.field).toBe('email');
  });

  it('answers malformed and unknown tokens clearly', async () => {
    expect((await app.http().get('/api/invitations/short').expect(400)).body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'token' });
    expect(
      (
        await app
          .http()
          .get(`/api/invitations/${'x'.repeat(43)}`)
          .expect(404)
      ).body.code,
    ).toBe('INVITATION_NOT_FOUND');
    const inv = await invite({ role: 'observer' }).expect(201);
    const noCreds = await app.http().post(`/api/invitations/${inv.body.token}/accept`).send({}).expect(401);
    expect(noCreds.body.code).toBe('UNAUTHENTICATED');
  });

  it('writes invitations and acceptances to the audit chain', async () => {
    const res = await app.http().get(`/api/sessions/${session.id}/audit`).set(bearer(mediator)).expect(200);
    expect(res.body.verification.valid).toBe(true);
    const types = res.body.entries.map((e: any) => e.type);
    expect(types.filter((t: string) => t === 'invitation.accepted').length).toBe(
      types.filter((t: string) => t === 'participant.joined').length - 1,
    );
    expect(types).toContain('invitation.revoked');
    // Tokens are never in the trail.
    expect(JSON.stringify(res.body)).not.toMatch(/"token"/);
  });
});
