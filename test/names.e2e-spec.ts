import type { SessionView } from '@parley/contracts';
import { startApp, type TestApp } from './support/harness';
import { bearer, createInvitation, createSession, inviteNew, register, roomOf, type Person } from './support/people';

/**
 * Names people read as an identity (display names, party names, session titles, joint-room names)
 * cannot impersonate: a direction override or an invisible character is refused with
 * VALIDATION_FAILED and the field, through the real API, and nothing changes. A new account's
 * password is held to the policy on both ways in. Real multilingual names go through, stored NFC
 * and trimmed.
 */
describe('names that cannot impersonate', () => {
  let app: TestApp;
  let mediator: Person;
  let member: Person;
  let session: SessionView;
  let auditLength: number;
  let n = 0;
  const email = () => `names.${++n}.${process.pid}@parley.test`;
  const view = async () => (await app.http().get(`/api/sessions/${session.id}`).set(bearer(mediator)).expect(200)).body as SessionView;
  const audit = async () => (await app.http().get(`/api/sessions/${session.id}/audit`).set(bearer(mediator)).expect(200)).body;
  const sessionCount = async () => ((await app.http().get('/api/sessions').set(bearer(mediator)).expect(200)).body as unknown[]).length;

  beforeAll(async () => {
    app = await startApp();
    mediator = await register(app, 'Mediator');
    session = await createSession(app, mediator, ['Alpha', 'Beta']);
    member = await inviteNew(app, mediator, session.id, 'Alpha Member', { role: 'party_member', partyId: session.parties[0].id });
    await app.http().post(`/api/sessions/${session.id}/status`).set(bearer(mediator)).send({ status: 'open' }).expect(200);
    auditLength = (await audit()).entries.length;
  });
  afterAll(async () => {
    await app?.close();
  });

  const spoofs: Array<[string, string]> = [
    ['a right-to-left override', 'Alpha\u202Eateb'],
    ['a left-to-right isolate', '\u2066Beta\u2069'],
    ['a right-to-left mark', '\u200FBeta'],
    ['a zero-width space', 'Al\u200Bpha'],
    ['a byte-order mark inside', 'Al\uFEFFpha'],
    ['a soft hyphen', 'Al\u00ADpha'],
    ['a zero-width joiner at the end', 'Alpha\u200D'],
    ['a zero-width joiner between Latin letters', 'Al\u200Dpha'],
    ['a Hangul filler', '\u3164'],
    ['only blanks', '     '],
    ['a newline', 'Alpha\nBeta'],
  ];

  type Case = [string, () => Promise<{ status: number; body: { code?: string; field?: string } }>, string];
  const cases: Case[] = spoofs.flatMap(([what, name]): Case[] => [
    [`a session title with ${what}`, () => app.http().post('/api/sessions').set(bearer(mediator)).send({ title: name }), 'title'],
    [
      `a party name with ${what} at creation`,
      () =>
        app
          .http()
          .post('/api/sessions')
          .set(bearer(mediator))
          .send({ title: 'Talks', parties: ['Nord', name] }),
      'parties',
    ],
    [
      `a new title with ${what}`,
      () => app.http().patch(`/api/sessions/${session.id}`).set(bearer(mediator)).send({ title: name }),
      'title',
    ],
    [
      `a party name with ${what}`,
      () => app.http().post(`/api/sessions/${session.id}/parties`).set(bearer(mediator)).send({ name }),
      'name',
    ],
    [
      `a joint-room name with ${what}`,
      () =>
        app
          .http()
          .post(`/api/sessions/${session.id}/rooms`)
          .set(bearer(mediator))
          .send({ name, memberIds: [member.participantId] }),
      'name',
    ],
    [
      `a display name with ${what} at registration`,
      () => app.http().post('/api/auth/register').send({ email: email(), password: 'correct horse battery staple', displayName: name }),
      'displayName',
    ],
  ]);

  describe('refused, with the field named', () => {
    let before: { view: SessionView; sessions: number };
    beforeAll(async () => {
      before = { view: await view(), sessions: await sessionCount() };
    });
    it.each(cases)('%s', async (_what, request, field) => {
      const res = await request();
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', field });
    });
    it('changed nothing', async () => {
      const after = await view();
      expect(after.title).toBe(before.view.title);
      expect(after.parties.map((p) => p.name)).toEqual(before.view.parties.map((p) => p.name));
      expect(after.rooms?.length).toBe(before.view.rooms?.length);
      expect(await sessionCount()).toBe(before.sessions);
      expect((await audit()).entries.length).toBe(auditLength);
    });
  });

  it('refuses a spoofed display name on accepting an invitation, and leaves the invitation usable', async () => {
    const invToken = await createInvitation(app, mediator, session.id);
    const address = email();
    const res = await app
      .http()
      .post(`/api/invitations/${invToken}/accept`)
      .send({ email: address, password: 'correct horse battery staple', displayName: 'Obs\u202Erever' })
      .expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'displayName' });
    // No account was made: the same address still signs in as nobody, and the link still works.
    await app.http().post('/api/auth/login').send({ email: address, password: 'correct horse battery staple' }).expect(401);
    await app
      .http()
      .post(`/api/invitations/${invToken}/accept`)
      .send({ email: address, password: 'correct horse battery staple', displayName: 'Observer' })
      .expect(201);
  });

  describe('the password of a new account', () => {
    it.each([
      ['ten spaces', '          '],
      ['password12', 'password12'],
      ['one character repeated', 'zzzzzzzzzzzz'],
      ['nine characters', 'abcdefgh9'],
    ])('refuses %s at registration, making no account', async (_what, password) => {
      const address = email();
      const res = await app.http().post('/api/auth/register').send({ email: address, password, displayName: 'Weak' }).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'password' });
      await app.http().post('/api/auth/login').send({ email: address, password }).expect(401);
    });

    it('refuses a common password when accepting an invitation with new credentials', async () => {
      const invToken = await createInvitation(app, mediator, session.id);
      const address = email();
      const res = await app
        .http()
        .post(`/api/invitations/${invToken}/accept`)
        .send({ email: address, password: 'Password123', displayName: 'Weak Observer' })
        .expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'password' });
      await app.http().post('/api/auth/login').send({ email: address, password: 'Password123' }).expect(401);
    });
  });

  describe('real names in any script go through', () => {
    it('stores titles, party names and joint-room names NFC and trimmed', async () => {
      const res = await app
        .http()
        .post('/api/sessions')
        .set(bearer(mediator))
        .send({ title: '  وفد الشمال و Délégation du Sud  ', parties: ['Nord — الشمال', 'משלחת הדרום', '北方代表团 🕊️', 'می\u200cخواهم'] })
        .expect(201);
      const created = res.body as SessionView;
      expect(created.title).toBe('وفد الشمال و Délégation du Sud');
      expect(created.parties.map((p) => p.name)).toEqual(['Nord — الشمال', 'משלחת הדרום', '北方代表团 🕊️', 'می\u200cخواهم']);
      const party = await app
        .http()
        .post(`/api/sessions/${created.id}/parties`)
        .set(bearer(mediator))
        .send({ name: 'De\u0301le\u0301gation de l’Est' })
        .expect(201);
      expect(party.body.name).toBe('Délégation de l’Est');
      const room = await app
        .http()
        .post(`/api/sessions/${session.id}/rooms`)
        .set(bearer(mediator))
        .send({ name: ' رؤساء الوفود — Heads ', memberIds: [member.participantId] })
        .expect(201);
      expect(roomOf(await view(), 'joint')).toMatchObject({ name: 'رؤساء الوفود — Heads' });
      expect(room.status).toBe(201);
    });

    it('registers a display name with accents in decomposed form, an Arabic name and emoji', async () => {
      for (const [sent, stored] of [
        ['  Be\u0301atrice Ndiaye ', 'Béatrice Ndiaye'],
        ['عائشة بنت أحمد', 'عائشة بنت أحمد'],
        ['Family 👨\u200d👩\u200d👧', 'Family 👨\u200d👩\u200d👧'],
      ]) {
        const res = await app
          .http()
          .post('/api/auth/register')
          .send({ email: email(), password: 'correct horse battery staple', displayName: sent })
          .expect(201);
        expect(res.body.user.displayName).toBe(stored);
      }
    });
  });
});
