import { randomUUID } from 'node:crypto';
import type { AuditEntryView, ParticipantView, SessionView } from '@parley/contracts';
import { TestClient } from './support/harness';
import { INTERPRETER_PAIR, MEDIATION_LANGUAGES, useMediation } from './support/mediation';
import { bearer, createSession, register, type Person } from './support/people';

/**
 * The interpreter role (issue 15): a session declares its languages; an interpreter is invited with
 * a pair of them and, maybe, the party that brought them; they are placed by the mediators under
 * the membership rule (the plenary, their party's caucus, a joint room naming them, never the
 * mediator room); in a room they chat, they read the text as tabled, and they have no shuttle and
 * no draft. Bad input is refused with its code and changes nothing; every step is audited.
 */
describe('the interpreter role', () => {
  const { app, m } = useMediation({}, { interpreters: true });
  const session = (who: Person) => m().get(who, '') as unknown as Promise<{ body: SessionView }>;
  const trail = async (): Promise<AuditEntryView[]> => (await m().get(m().mediator, '/audit').expect(200)).body.entries;
  const invitations = async (): Promise<number> => (await m().get(m().mediator, '/invitations').expect(200)).body.length;
  const say = (who: Person, roomId: string, text: string) =>
    m().post(who, `/rooms/${roomId}/messages`, { text, clientMessageId: randomUUID() });
  const history = (who: Person, roomId: string) => m().get(who, `/rooms/${roomId}/events?limit=200`);
  const ia = () => m().ia!;
  const im = () => m().im!;

  describe('session languages', () => {
    it('are declared on creation and shown to everyone in the session', async () => {
      expect((await session(m().a1)).body.languages).toEqual(MEDIATION_LANGUAGES);
      expect((await session(ia())).body.languages).toEqual(MEDIATION_LANGUAGES);
    });

    it.each([
      ['a bad code', ['EN']],
      ['a name', ['Arabic']],
      ['a duplicate', ['ar', 'ar']],
      ['thirteen', ['aa', 'ab', 'ac', 'ad', 'ae', 'af', 'ag', 'ah', 'ai', 'aj', 'ak', 'al', 'am']],
      ['a number', [7]],
    ])('refuses %s on creation with LANGUAGE_INVALID and creates nothing', async (_what, languages) => {
      const someone = await register(app(), 'Lang Tester');
      const res = await app().http().post('/api/sessions').set(bearer(someone)).send({ title: 'Languages', languages }).expect(400);
      expect(res.body).toMatchObject({ code: 'LANGUAGE_INVALID', field: 'languages' });
      expect((await app().http().get('/api/sessions').set(bearer(someone)).expect(200)).body).toEqual([]);
    });

    it('are changed by a mediator, audited; a bad list or a non-mediator is refused and nothing changes', async () => {
      const lead = await register(app(), 'Lang Lead');
      const s = await createSession(app(), lead, ['East', 'West'], ['ar']);
      const patch = (who: Person, body: object) => app().http().patch(`/api/sessions/${s.id}`).set(bearer(who)).send(body);
      expect((await patch(lead, { languages: ['ar', 'fr', 'pt-BR'] }).expect(200)).body.languages).toEqual(['ar', 'fr', 'pt-BR']);
      expect((await patch(lead, { languages: ['ar', 'fr', 'FR'] }).expect(400)).body).toMatchObject({
        code: 'LANGUAGE_INVALID',
        field: 'languages',
      });
      expect((await patch(lead, { languages: 'ar' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
      const view = (await app().http().get(`/api/sessions/${s.id}`).set(bearer(lead)).expect(200)).body as SessionView;
      expect(view.languages).toEqual(['ar', 'fr', 'pt-BR']);
      const entries = (await app().http().get(`/api/sessions/${s.id}/audit`).set(bearer(lead)).expect(200)).body
        .entries as AuditEntryView[];
      expect(entries.find((e) => e.type === 'session.created')?.payload).toMatchObject({ languages: ['ar'] });
      expect(entries.filter((e) => e.type === 'session.updated').map((e) => e.payload)).toEqual([{ languages: ['ar', 'fr', 'pt-BR'] }]);
    });

    it('keep every language an interpreter works in (LANGUAGE_IN_USE), and only mediators change them', async () => {
      const before = (await session(m().mediator)).body.languages;
      expect((await m().get(m().mediator, '').expect(200)).body.languages).toEqual(before);
      const res = await app()
        .http()
        .patch(`/api/sessions/${m().session.id}`)
        .set(bearer(m().mediator))
        .send({ languages: ['ar', 'fr'] });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'LANGUAGE_IN_USE', field: 'languages' });
      const byParty = await app()
        .http()
        .patch(`/api/sessions/${m().session.id}`)
        .set(bearer(m().a1))
        .send({ languages: ['ar', 'en'] });
      expect(byParty.body.code).toBe('MEDIATOR_ONLY');
      const byInterpreter = await app()
        .http()
        .patch(`/api/sessions/${m().session.id}`)
        .set(bearer(ia()))
        .send({ languages: ['ar', 'en'] });
      expect(byInterpreter.body.code).toBe('MEDIATOR_ONLY');
      expect((await session(m().mediator)).body.languages).toEqual(before);
    });

    it('keep every language a pending interpreter invitation names, until it is revoked', async () => {
      const lead = await register(app(), 'Lang Keeper');
      const s = await createSession(app(), lead, ['East', 'West'], ['ar', 'en', 'fr']);
      const at = (path: string) => `/api/sessions/${s.id}${path}`;
      const patch = (body: object) => app().http().patch(at('')).set(bearer(lead)).send(body);
      // An interpreter invited in en and fr, not yet arrived.
      const invited = (
        await app()
          .http()
          .post(at('/invitations'))
          .set(bearer(lead))
          .send({ role: 'interpreter', languages: ['en', 'fr'] })
          .expect(201)
      ).body;
      const refused = await patch({ languages: ['ar', 'en'] });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'LANGUAGE_IN_USE', field: 'languages' });
      expect(refused.body.message).toContain('fr');
      expect((await app().http().get(at('')).set(bearer(lead)).expect(200)).body.languages).toEqual(['ar', 'en', 'fr']);
      // Revoked, it no longer holds the language.
      await app()
        .http()
        .delete(at(`/invitations/${invited.id}`))
        .set(bearer(lead))
        .expect(204);
      expect((await patch({ languages: ['ar', 'en'] }).expect(200)).body.languages).toEqual(['ar', 'en']);
      const entries = (await app().http().get(at('/audit')).set(bearer(lead)).expect(200)).body.entries as AuditEntryView[];
      expect(entries.filter((e) => e.type === 'session.updated').map((e) => e.payload)).toEqual([{ languages: ['ar', 'en'] }]);
    });
  });

  describe('inviting an interpreter', () => {
    const invite = (who: Person, body: object) => m().post(who, '/invitations', body);

    it.each([
      ['no languages', { role: 'interpreter' }, 400, 'LANGUAGE_INVALID', 'languages'],
      ['one language', { role: 'interpreter', languages: ['ar'] }, 400, 'LANGUAGE_INVALID', 'languages'],
      ['the same language twice', { role: 'interpreter', languages: ['ar', 'ar'] }, 400, 'LANGUAGE_INVALID', 'languages'],
      ['a bad code', { role: 'interpreter', languages: ['ar', 'ENG'] }, 400, 'LANGUAGE_INVALID', 'languages'],
      ['an undeclared language', { role: 'interpreter', languages: ['ar', 'de'] }, 400, 'LANGUAGE_NOT_DECLARED', 'languages'],
      ['a head of delegation', { role: 'interpreter', languages: ['ar', 'en'], isHead: true }, 400, 'VALIDATION_FAILED', 'isHead'],
      ['an unknown party', { role: 'interpreter', languages: ['ar', 'en'], partyId: randomUUID() }, 404, 'PARTY_NOT_FOUND', 'partyId'],
      ['languages on an observer', { role: 'observer', languages: ['ar', 'en'] }, 400, 'VALIDATION_FAILED', 'languages'],
    ])('refuses %s (%j) with its code, and no invitation is made', async (_what, body, status, code, field) => {
      const before = await invitations();
      const res = await invite(m().mediator, body);
      expect({ status: res.status, code: res.body.code, field: res.body.field }).toEqual({ status, code, field });
      expect(await invitations()).toBe(before);
    });

    it('is a mediator act', async () => {
      const res = await invite(ia(), { role: 'interpreter', languages: ['ar', 'en'] });
      expect(res.body.code).toBe('MEDIATOR_ONLY');
      expect((await invite(m().a1, { role: 'interpreter', languages: ['ar', 'en'] })).body.code).toBe('MEDIATOR_ONLY');
    });

    it('gives the accepted participant their pair and the party that brought them (never a delegation seat)', async () => {
      const all = (await m().get(m().a1, '/participants').expect(200)).body as ParticipantView[];
      const north = all.find((p) => p.id === ia().participantId)!;
      const ours = all.find((p) => p.id === im().participantId)!;
      expect(north).toMatchObject({ role: 'interpreter', partyId: m().partyA, isHead: false, languages: INTERPRETER_PAIR });
      expect(ours).toMatchObject({ role: 'interpreter', partyId: null, isHead: false, languages: INTERPRETER_PAIR });
      expect(all.filter((p) => p.role !== 'interpreter').every((p) => p.languages === null)).toBe(true);
      const listed = (await m().get(m().mediator, '/invitations').expect(200)).body as Array<{ role: string; languages?: unknown }>;
      expect(listed.filter((i) => i.role === 'interpreter').map((i) => i.languages)).toEqual([INTERPRETER_PAIR, INTERPRETER_PAIR]);
    });

    it('audits the invitation, the acceptance and the placement with the role and the languages', async () => {
      const entries = await trail();
      const created = entries.filter((e) => e.type === 'invitation.created' && e.payload.role === 'interpreter');
      expect(created.map((e) => [e.payload.partyId, e.payload.languages])).toEqual([
        [m().partyA, INTERPRETER_PAIR],
        [null, INTERPRETER_PAIR],
      ]);
      const joined = entries.filter((e) => e.type === 'participant.joined' && e.payload.role === 'interpreter');
      // As the seat holds it: no delegation seat (partyId null), the party that brought them apart.
      expect(joined.map((e) => [e.payload.participantId, e.payload.partyId, e.payload.broughtByPartyId, e.payload.languages])).toEqual([
        [ia().participantId, null, m().partyA, INTERPRETER_PAIR],
        [im().participantId, null, null, INTERPRETER_PAIR],
      ]);
      const placed = entries.filter(
        (e) => (e.type === 'participant.moved' || e.type === 'participant.admitted') && e.payload.participantId === ia().participantId,
      );
      expect(placed.map((e) => e.payload.toRoomId)).toContain(m().caucusA);
    });

    it('never becomes, nor stops being, an interpreter by a role change', async () => {
      const toInterpreter = await app()
        .http()
        .patch(`/api/sessions/${m().session.id}/participants/${m().a2.participantId}/role`)
        .set(bearer(m().mediator))
        .send({ role: 'interpreter' });
      expect(toInterpreter.body).toMatchObject({ code: 'ROLE_CHANGE_REFUSED', field: 'role' });
      const fromInterpreter = await app()
        .http()
        .patch(`/api/sessions/${m().session.id}/participants/${ia().participantId}/role`)
        .set(bearer(m().mediator))
        .send({ role: 'observer' });
      expect(fromInterpreter.body).toMatchObject({ code: 'ROLE_CHANGE_REFUSED', field: 'role' });
      const all = (await m().get(m().mediator, '/participants').expect(200)).body as ParticipantView[];
      expect(all.find((p) => p.id === ia().participantId)?.role).toBe('interpreter');
      expect(all.find((p) => p.id === m().a2.participantId)?.role).toBe('party_member');
    });
  });

  describe('membership', () => {
    const move = (who: Person, roomId: string) => m().post(m().mediator, `/participants/${who.participantId}/move`, { roomId });

    it("shows North's interpreter the plenary and North's caucus only; the mediators' the plenary only", async () => {
      const north = (await session(ia())).body;
      expect(north.rooms.map((r) => r.id).sort()).toEqual([m().plenary, m().caucusA].sort());
      expect(north.me).toMatchObject({ role: 'interpreter', partyId: m().partyA, roomId: m().caucusA, languages: INTERPRETER_PAIR });
      expect((await session(im())).body.rooms.map((r) => r.id)).toEqual([m().plenary]);
    });

    it.each([
      ["North's interpreter into South's caucus", () => ia(), () => m().caucusB, 'CAUCUS_FORBIDDEN'],
      ["North's interpreter into the mediator room", () => ia(), () => m().mediatorRoom, 'MEDIATOR_ROOM_FORBIDDEN'],
      ["the mediators' interpreter into North's caucus", () => im(), () => m().caucusA, 'CAUCUS_FORBIDDEN'],
      ["the mediators' interpreter into the mediator room", () => im(), () => m().mediatorRoom, 'MEDIATOR_ROOM_FORBIDDEN'],
    ])('refuses %s, and they stay where they were', async (_what, who, room, code) => {
      const before = (await session(who())).body.me.roomId;
      const res = await move(who(), room());
      expect(res.body).toMatchObject({ code, field: 'roomId' });
      expect((await session(who())).body.me.roomId).toBe(before);
    });

    it('lets nobody but a mediator move an interpreter, themselves included', async () => {
      expect((await m().post(ia(), `/participants/${ia().participantId}/move`, { roomId: m().plenary })).body.code).toBe('MOVE_FORBIDDEN');
      expect((await m().post(m().a1, `/participants/${ia().participantId}/move`, { roomId: m().plenary })).body.code).toBe(
        'MOVE_FORBIDDEN',
      );
    });

    it('lets an interpreter into a joint room that names them, and only then', async () => {
      const withThem = (
        await m()
          .post(m().mediator, '/rooms', { name: 'Heads and interpreter', memberIds: [m().a1.participantId, im().participantId] })
          .expect(201)
      ).body.id as string;
      const without = (
        await m()
          .post(m().mediator, '/rooms', { name: 'Heads only', memberIds: [m().a1.participantId, m().b1.participantId] })
          .expect(201)
      ).body.id as string;
      expect((await move(ia(), without)).body.code).toBe('JOINT_ROOM_FORBIDDEN');
      await move(im(), withThem).expect(200);
      expect((await session(im())).body.me.roomId).toBe(withThem);
      await move(im(), m().plenary).expect(200);
      await app().http().delete(`/api/sessions/${m().session.id}/rooms/${withThem}`).set(bearer(m().mediator));
      await app().http().delete(`/api/sessions/${m().session.id}/rooms/${without}`).set(bearer(m().mediator));
    });

    it("a move cuts the old room at once: out of North's caucus, its chat no longer reaches them", async () => {
      const c = m().client(ia());
      await move(ia(), m().plenary).expect(200);
      await c.sync();
      c.clear();
      await say(m().a1, m().caucusA, 'After the move: MKAFTERMOVE').expect(201);
      await say(m().mediator, m().plenary, 'In the plenary: MKPLENARYNOW').expect(201);
      await c.waitFor('room.event', (e) => JSON.stringify(e).includes('MKPLENARYNOW'));
      await c.sync();
      expect(JSON.stringify(c.events)).not.toContain('MKAFTERMOVE');
      await move(ia(), m().caucusA).expect(200);
      await c.sync();
    });
  });

  describe('what an interpreter may do in a room', () => {
    let client: TestClient;
    beforeAll(() => {
      client = m().client(m().a1);
    });

    it('chats in the room they are in, as a member of it', async () => {
      client.clear();
      await say(ia(), m().caucusA, 'Interpreter note MKINTERPCHAT').expect(201);
      await client.waitFor('room.event', (e) => JSON.stringify(e).includes('MKINTERPCHAT'));
      await say(im(), m().plenary, 'Plenary interpreter note').expect(201);
      expect(JSON.stringify((await history(ia(), m().caucusA).expect(200)).body)).toContain('MKINTERPCHAT');
    });

    it('cannot post into, or read, a room that is not theirs', async () => {
      expect((await say(ia(), m().caucusB, 'no')).body.code).toBe('CAUCUS_FORBIDDEN');
      expect((await history(ia(), m().caucusB)).body.code).toBe('CAUCUS_FORBIDDEN');
      expect((await history(ia(), m().mediatorRoom)).body.code).toBe('MEDIATOR_ROOM_FORBIDDEN');
      expect((await history(im(), m().caucusA)).body.code).toBe('CAUCUS_FORBIDDEN');
      // Seated in North's caucus, not in the plenary: they post where they are.
      expect((await say(ia(), m().plenary, 'elsewhere')).body.code).toBe('NOT_IN_ROOM');
    });

    it('reads the tabled text like an observer, and never acts on it', async () => {
      const asObserver = (await m().get(m().observer, '/agreement').expect(200)).body;
      const asInterpreter = (await m().get(ia(), '/agreement').expect(200)).body;
      expect(asInterpreter).toEqual(asObserver);
      expect((await m().get(ia(), '/agreement/proposals')).body.code).toBe('OBSERVER_TABLED_ONLY');
      expect((await m().get(im(), '/agreement/history')).body.code).toBe('OBSERVER_TABLED_ONLY');
      const change = { kind: 'insert', afterClauseId: null, wording: { text: 'Interpreters decide.' } };
      expect((await m().post(ia(), '/agreement/changes', { change })).body.code).toBe('OBSERVER_READ_ONLY');
      expect((await m().post(ia(), '/agreement/proposals', { visibility: 'tabled', change })).body.code).toBe('OBSERVER_READ_ONLY');
    });

    it('has no shuttle: neither writes nor lists', async () => {
      const send = await m().post(ia(), '/shuttle', { text: 'For the mediator', label: 'mediator_only', clientMessageId: randomUUID() });
      expect(send.body.code).toBe('SHUTTLE_PARTY_ONLY');
      expect((await m().get(ia(), '/shuttle')).body.code).toBe('SHUTTLE_PARTY_ONLY');
      expect((await m().get(im(), '/shuttle')).body.code).toBe('SHUTTLE_PARTY_ONLY');
    });

    it("is given none of the shuttle events North's caucus carries, live or from its history, while North's members are", async () => {
      const c = m().client(ia());
      await c.sync();
      c.clear();
      m().client(m().a2).clear();
      await m()
        .post(m().a1, '/shuttle', { text: 'Our bottom line MKSHUTTLEA', label: 'mediator_only', clientMessageId: randomUUID() })
        .expect(201);
      await say(m().a1, m().caucusA, 'Chat after the shuttle MKCHATAFTER').expect(201);
      await c.waitFor('room.event', (e) => JSON.stringify(e).includes('MKCHATAFTER'));
      await m()
        .client(m().a2)
        .waitFor('room.event', (e) => JSON.stringify(e).includes('MKSHUTTLEA'));
      await c.sync();
      expect(JSON.stringify(c.events)).not.toContain('MKSHUTTLEA');
      const own = JSON.stringify((await history(m().a2, m().caucusA).expect(200)).body);
      expect(own).toContain('MKSHUTTLEA');
      const theirs = (await history(ia(), m().caucusA).expect(200)).body;
      expect(JSON.stringify(theirs)).not.toContain('MKSHUTTLEA');
      expect(theirs.events.every((e: { type: string }) => e.type === 'chat.message')).toBe(true);
      const replay = await c.ask('room.history', { roomId: m().caucusA, afterSeq: 0, limit: 200 });
      expect(replay.ok).toBe(true);
      expect(JSON.stringify(replay)).not.toContain('MKSHUTTLEA');
    });

    it('has no draft, not even of the party that brought them', async () => {
      expect((await m().get(ia(), `/drafts/parties/${m().partyA}`)).body.code).toBe('DRAFT_FORBIDDEN');
      expect((await m().get(ia(), '/drafts/mediators')).body.code).toBe('DRAFT_FORBIDDEN');
      expect((await m().get(im(), `/drafts/parties/${m().partyA}`)).body.code).toBe('DRAFT_FORBIDDEN');
    });

    it("holds none of the mediators' powers", async () => {
      expect((await m().get(ia(), '/audit')).body.code).toBe('MEDIATOR_ONLY');
      expect((await m().get(ia(), '/presence')).body.code).toBe('MEDIATOR_ONLY');
      expect((await m().post(ia(), '/status', { status: 'suspended' })).body.code).toBe('MEDIATOR_ONLY');
      const ack = await m().client(ia()).ask('hand.raise', {});
      expect(ack.ok ? 'allowed' : ack.error.code).toBe('PARTY_MEMBER_ONLY');
    });
  });
});
