import { DataSource } from 'typeorm';
import type { SessionView } from '@parley/contracts';
import { ManualClock } from '@parley/platform';
import { startApp, TestClient, type TestApp } from './support/harness';
import { linkIn, MailCatcher } from './support/mail-catcher';
import { bearer, createSession, register, type Person } from './support/people';

const PASSWORD = 'correct horse battery staple';

/**
 * Addresses proven by mail, with a real SMTP server on loopback: Parley sends through nodemailer,
 * the server receives over SMTP, and the tests follow the link found in the message's body.
 */
describe('e-mail verification, with mail configured', () => {
  let app: TestApp;
  let mail: MailCatcher;
  let mediator: Person;
  let session: SessionView;
  // Links expire and resends wait by the server's clock, moved here instead of waited for.
  const clock = new ManualClock();
  const invite = (email: string) =>
    app.http().post(`/api/sessions/${session.id}/invitations`).set(bearer(mediator)).send({ role: 'observer', email }).expect(201);
  const accept = (token: string) => app.http().post(`/api/invitations/${token}/accept`);
  const verify = (body: object) => app.http().post('/api/auth/verify-email').send(body);
  const participants = async () =>
    (await app.http().get(`/api/sessions/${session.id}/participants`).set(bearer(mediator)).expect(200)).body as Array<{ userId: string }>;
  let n = 0;
  const address = (name: string) => `${name}.${++n}.${process.pid}@parley.test`;

  beforeAll(async () => {
    mail = await MailCatcher.start();
    app = await startApp(
      // TRUST_PROXY: each request may name its client with X-Forwarded-For (claims are limited per client).
      { SMTP_URL: mail.url, MAIL_FROM: 'Parley <parley@parley.test>', PUBLIC_URL: 'https://parley.example', TRUST_PROXY: 'loopback' },
      undefined,
      {
        clock,
      },
    );
    mediator = await register(app, 'Mediator');
    session = await createSession(app, mediator);
  });
  afterAll(async () => {
    await app?.close();
    await mail?.close();
  });

  describe('registration', () => {
    let amina: { email: string; token: string; userId: string };
    let firstLink: ReturnType<typeof linkIn>;

    beforeAll(async () => {
      const email = address('amina');
      const res = await app.http().post('/api/auth/register').send({ email, password: PASSWORD, displayName: 'Amina' }).expect(201);
      amina = { email, token: res.body.accessToken, userId: res.body.user.id };
      expect(res.body.verificationSent).toBe(true);
      firstLink = linkIn(await mail.next(email, 0));
    });

    it('mails a link built on PUBLIC_URL, from MAIL_FROM, to the address registered', () => {
      const [sent] = mail.to(amina.email);
      expect(sent.from).toBe('Parley <parley@parley.test>');
      expect(sent.subject).toBe('Confirm your e-mail address for Parley');
      expect(firstLink.url.startsWith('https://parley.example/verify-email?token=')).toBe(true);
      expect(sent.text).toContain('If it was not you, ignore this message');
    });

    it('keeps only a digest of the link', async () => {
      const rows = await app.app.get(DataSource).query(`SELECT token_hash FROM email_verifications WHERE email = $1`, [amina.email]);
      expect(rows).toHaveLength(1);
      expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(rows)).not.toContain(firstLink.token);
    });

    it('leads a link only to a path of this site', async () => {
      for (const next of ['//evil/x', 'https://evil.example', '/a b']) {
        const res = await app.http().post('/api/auth/verify-email/resend').set(bearer(amina)).send({ next }).expect(400);
        expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'next' });
      }
    });

    it('sends one link a minute to an address, then another', async () => {
      const soon = await app.http().post('/api/auth/verify-email/resend').set(bearer(amina)).send({}).expect(429);
      expect(soon.body.code).toBe('RATE_LIMITED');
      expect(Number(soon.headers['retry-after'])).toBeGreaterThan(0);
      expect(mail.to(amina.email)).toHaveLength(1);
      clock.advance(61_000);
      await app.http().post('/api/auth/verify-email/resend').set(bearer(amina)).send({}).expect(204);
      expect(mail.to(amina.email)).toHaveLength(2);
    });

    it('refuses the link without the account: neither a stranger signed in elsewhere nor a wrong password proves it', async () => {
      const stranger = await register(app, 'Stranger');
      const signedInElsewhere = await verify({ token: firstLink.token }).set(bearer(stranger)).expect(400);
      expect(signedInElsewhere.body).toMatchObject({ code: 'VERIFICATION_INVALID', field: 'password' });
      const wrong = await verify({ token: firstLink.token, password: 'not the password' }).expect(400);
      expect(wrong.body.code).toBe('VERIFICATION_INVALID');
      const [row] = await app.app.get(DataSource).query(`SELECT email_verified_at FROM users WHERE id = $1`, [amina.userId]);
      expect(row.email_verified_at).toBeNull();
    });

    it('verifies with the password, signs in, and the link works once', async () => {
      const res = await verify({ token: firstLink.token, password: PASSWORD }).expect(200);
      expect(res.body.user.id).toBe(amina.userId);
      expect(res.body.accessToken).toBeTruthy();
      const again = await verify({ token: firstLink.token, password: PASSWORD }).expect(400);
      expect(again.body.code).toBe('VERIFICATION_INVALID');
      // The other open link to the address ended with it.
      const second = linkIn(mail.to(amina.email)[1]);
      expect((await verify({ token: second.token, password: PASSWORD }).expect(400)).body.code).toBe('VERIFICATION_INVALID');
      // Proven: nothing more is sent, and the address is not claimable.
      await app.http().post('/api/auth/verify-email/resend').set(bearer(amina)).send({}).expect(204);
      expect(mail.to(amina.email)).toHaveLength(2);
      const claim = await app
        .http()
        .post('/api/auth/register')
        .send({ email: amina.email, password: 'another long password', displayName: 'X' });
      expect(claim.status).toBe(409);
      expect(claim.body.code).toBe('EMAIL_TAKEN');
    });
  });

  describe('an invitation bound to an address', () => {
    it('is refused to a new account until the address is proven, then accepted after following the mailed link', async () => {
      const email = address('invitee');
      const inv = await invite(email);
      const before = await participants();
      const refused = await accept(inv.body.token).send({ email, password: PASSWORD, displayName: 'Invitee' }).expect(403);
      expect(refused.body).toMatchObject({ code: 'EMAIL_NOT_VERIFIED', details: { verificationSent: true } });
      expect(refused.body.accessToken).toBeUndefined();
      expect(await participants()).toEqual(before);

      // Signed in but not proven: still refused, and the invitation is still there for the address.
      const signIn = await app.http().post('/api/auth/login').send({ email, password: PASSWORD }).expect(200);
      const stillRefused = await accept(inv.body.token)
        .set(bearer({ token: signIn.body.accessToken }))
        .send({})
        .expect(403);
      expect(stillRefused.body.code).toBe('EMAIL_NOT_VERIFIED');

      const link = linkIn(await mail.next(email, 0));
      expect(link.next).toBe(`/invitations/${inv.body.token}`);
      const proven = await verify({ token: link.token, password: PASSWORD }).expect(200);
      const ok = await accept(inv.body.token)
        .set(bearer({ token: proven.body.accessToken }))
        .send({})
        .expect(201);
      expect(ok.body.participant).toMatchObject({ role: 'observer', displayName: 'Invitee', userId: signIn.body.user.id });
      expect(await participants()).toHaveLength(before.length + 1);
    });

    it('is refused to an existing unproven account accepting with its credentials, which gets a link', async () => {
      const existing = await register(app, 'Existing Unproven');
      const inv = await invite(existing.email);
      const sent = mail.to(existing.email).length;
      clock.advance(61_000);
      const refused = await accept(inv.body.token).send({ email: existing.email, password: existing.password }).expect(403);
      expect(refused.body).toMatchObject({ code: 'EMAIL_NOT_VERIFIED', details: { verificationSent: true } });
      const link = linkIn(await mail.next(existing.email, sent));
      await verify({ token: link.token }).set(bearer(existing)).expect(200);
      await accept(inv.body.token).send({ email: existing.email, password: existing.password }).expect(201);
    });

    describe('when someone registered the invitee’s address first', () => {
      const invitee = { email: '', password: 'the invitee’s own password' };
      let squatter: { token: string; refreshToken: string; userId: string; password: string };
      let squatterLink: ReturnType<typeof linkIn>;
      let invitation: { token: string };

      beforeAll(async () => {
        invitee.email = address('real.invitee');
        const res = await app
          .http()
          .post('/api/auth/register')
          .send({ email: invitee.email, password: 'the squatter’s password', displayName: 'Squatter' })
          .expect(201);
        squatter = {
          token: res.body.accessToken,
          refreshToken: res.body.refreshToken,
          userId: res.body.user.id,
          password: 'the squatter’s password',
        };
        squatterLink = linkIn(await mail.next(invitee.email, 0));
        invitation = (await invite(invitee.email)).body;
      });

      it('the squatter cannot accept', async () => {
        const res = await accept(invitation.token).set(bearer(squatter)).send({}).expect(403);
        expect(res.body.code).toBe('EMAIL_NOT_VERIFIED');
        const byCredentials = await accept(invitation.token).send({ email: invitee.email, password: squatter.password }).expect(403);
        expect(byCredentials.body.code).toBe('EMAIL_NOT_VERIFIED');
      });

      it('the invitee, following the squatter’s link from the mailbox, proves nothing for the squatter', async () => {
        const res = await verify({ token: squatterLink.token, password: invitee.password }).expect(400);
        expect(res.body.code).toBe('VERIFICATION_INVALID');
      });

      it('the invitee claims the address by proving it, then accepts; the squatter loses the address and its sign-ins', async () => {
        const squatterSocket = await TestClient.connect(app.url, squatter.token);
        const socketClosed = new Promise<string>((r) => squatterSocket.socket.once('disconnect', (reason) => r(reason)));
        const before = mail.to(invitee.email).length;
        const claim = await app
          .http()
          .post('/api/auth/register')
          .send({ email: invitee.email, password: invitee.password, displayName: 'Real Invitee' })
          .expect(202);
        expect(claim.body).toEqual({ claim: true, verificationSent: true, email: invitee.email });
        expect(claim.body.accessToken).toBeUndefined();
        const mailed = await mail.next(invitee.email, before);
        expect(mailed.text).toContain('whoever confirms the address gets it');
        const link = linkIn(mailed);
        // A claim's link needs the claim's password: the squatter's does not do.
        expect((await verify({ token: link.token, password: squatter.password }).expect(400)).body.code).toBe('VERIFICATION_INVALID');

        const proven = await verify({ token: link.token, password: invitee.password }).expect(200);
        expect(proven.body.user).toMatchObject({ email: invitee.email, displayName: 'Real Invitee' });
        expect(proven.body.user.id).not.toBe(squatter.userId);
        const ok = await accept(invitation.token)
          .set(bearer({ token: proven.body.accessToken }))
          .send({})
          .expect(201);
        expect(ok.body.participant.userId).toBe(proven.body.user.id);

        // The squatter: no address, no sign-in by it, no renewal, and its own old link is void.
        await app.http().post('/api/auth/login').send({ email: invitee.email, password: squatter.password }).expect(401);
        const refresh = await app.http().post('/api/auth/refresh').send({ refreshToken: squatter.refreshToken });
        expect(refresh.status).toBe(401);
        const me = await app.http().get('/api/auth/me').set(bearer(squatter)).expect(401);
        expect(me.body.code).toBe('SIGN_IN_REVOKED');
        expect(await squatterSocket.waitFor('auth.ended')).toMatchObject({ code: 'SIGN_IN_REVOKED' });
        expect(await socketClosed).toBe('io server disconnect');
        expect((await verify({ token: squatterLink.token, password: squatter.password }).expect(400)).body.code).toBe(
          'VERIFICATION_INVALID',
        );
        const [row] = await app.app.get(DataSource).query(`SELECT email, email_verified_at FROM users WHERE id = $1`, [squatter.userId]);
        expect(row.email).toMatch(/^released\.[0-9a-f-]{36}@parley\.invalid$/);
        expect(row.email_verified_at).toBeNull();
        // Now proven, the address is not claimable again.
        clock.advance(61_000);
        const late = await app
          .http()
          .post('/api/auth/register')
          .send({ email: invitee.email, password: 'a third long password', displayName: 'Late' });
        expect(late.status).toBe(409);
      });
    });

    it('someone re-claiming an address every minute does not hold back the owner: claims are limited per client, each with its own link', async () => {
      const email = address('contested');
      await app.http().post('/api/auth/register').send({ email, password: PASSWORD, displayName: 'Squatter' }).expect(201);
      const claimFrom = (from: string, password: string) =>
        app.http().post('/api/auth/register').set('X-Forwarded-For', from).send({ email, password, displayName: 'Claimant' });
      const attacker = `10.${process.pid % 250}.1.1`;
      const owner = `10.${process.pid % 250}.1.2`;
      expect((await claimFrom(attacker, 'the attacker password')).status).toBe(202);
      const again = await claimFrom(attacker, 'the attacker password');
      expect(again.status).toBe(429);
      expect(again.body.code).toBe('RATE_LIMITED');
      const before = mail.to(email).length;
      expect((await claimFrom(owner, 'the owner own password')).status).toBe(202);
      const ownerLink = linkIn(await mail.next(email, before));
      const proven = await verify({ token: ownerLink.token, password: 'the owner own password' }).expect(200);
      expect(proven.body.user).toMatchObject({ email, displayName: 'Claimant' });
    });

    it('is accepted by a proven account with the same address (signed in, or by its credentials), and still refused to any other', async () => {
      const email = address('proven');
      const reg = await app.http().post('/api/auth/register').send({ email, password: PASSWORD, displayName: 'Proven' }).expect(201);
      await verify({ token: linkIn(await mail.next(email, 0)).token, password: PASSWORD }).expect(200);
      const inv = await invite(email.toUpperCase());
      const other = await register(app, 'Other Person');
      expect((await accept(inv.body.token).set(bearer(other)).send({}).expect(403)).body.code).toBe('INVITATION_EMAIL_MISMATCH');
      // Credentials given as for a new account, for an address a proven account holds: a sign-in to it.
      const ok = await accept(inv.body.token).send({ email, password: PASSWORD, displayName: 'Proven Again' }).expect(201);
      expect(ok.body.user.id).toBe(reg.body.user.id);
    });
  });

  it('refuses a link past its day (last: the day passes for every token)', async () => {
    const email = address('late');
    await app.http().post('/api/auth/register').send({ email, password: PASSWORD, displayName: 'Late' }).expect(201);
    const link = linkIn(await mail.next(email, 0));
    clock.advance(24 * 3600 * 1000 + 1000);
    expect((await verify({ token: link.token, password: PASSWORD }).expect(400)).body).toMatchObject({
      code: 'VERIFICATION_INVALID',
      field: 'token',
    });
  });

  it('a mail server that is away: the resend answers MAIL_UNAVAILABLE and keeps no link', async () => {
    const person = await register(app, 'Mail Away');
    clock.advance(61_000);
    await mail.close();
    const res = await app.http().post('/api/auth/verify-email/resend').set(bearer(person)).send({}).expect(503);
    expect(res.body.code).toBe('MAIL_UNAVAILABLE');
    const rows = await app.app.get(DataSource).query(`SELECT count(*)::int AS n FROM email_verifications WHERE email = $1`, [person.email]);
    expect(rows[0].n).toBe(1); // the one from registration only
  });
});
