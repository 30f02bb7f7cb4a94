import type { PresenceOverview } from '@parley/contracts';
import { freshDatabase, startApp, TestClient, type TestApp } from './support/harness';
import { DraftEditor } from './support/drafts';
import { describeWhen, lacks } from './support/needs';
import { bearer, createSession, inviteNew, register, roomOf } from './support/people';

/**
 * Two API instances behind one PostgreSQL and one Redis: a move made through one instance puts
 * the sockets held by the other in the right rooms at once, and presence counts both.
 * Needs TEST_DATABASE_URL and TEST_REDIS_URL: one of the suites `npm run test:servers` runs
 * (jest.config.js), never on the embedded database, which one process owns.
 */
describeWhen(__filename, lacks.servers())('several API instances through Redis', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let one: TestApp;
  let two: TestApp;
  beforeAll(async () => {
    db = await freshDatabase();
    const env = { REDIS_URL: process.env.TEST_REDIS_URL! };
    one = await startApp(env, db);
    two = await startApp(env, db);
  });
  afterAll(async () => {
    await one.close();
    await two.close();
    await db?.drop();
  });

  it('moves a participant connected to the other instance, and cuts their old room at once', async () => {
    const mediator = await register(one, 'Mediator One');
    const session = await createSession(one, mediator, ['North', 'South']);
    const north = await inviteNew(one, mediator, session.id, 'North Member', { role: 'party_member', partyId: session.parties[0].id });
    const south = await inviteNew(one, mediator, session.id, 'South Member', { role: 'party_member', partyId: session.parties[1].id });
    await one.http().post(`/api/sessions/${session.id}/status`).set(bearer(mediator)).send({ status: 'open' }).expect(200);

    const m = await TestClient.connect(one.url, mediator.token);
    const n = await TestClient.connect(two.url, north.token);
    const s = await TestClient.connect(two.url, south.token);
    try {
      await m.join(session.id);
      await n.join(session.id);
      await s.join(session.id);
      // The overview built on instance one sees the sockets held by instance two.
      await m.waitFor('presence.overview', (o: PresenceOverview) => o.lobby.filter((x) => x.connected).length === 2);

      const plenary = roomOf(session, 'plenary').id;
      for (const p of [north, south]) {
        await one
          .http()
          .post(`/api/sessions/${session.id}/participants/${p.participantId}/admit`)
          .set(bearer(mediator))
          .send({ roomId: plenary })
          .expect(200);
      }
      await n.waitFor('room.presence', (e) => e.roomId === plenary && e.occupants.length === 2);

      // North goes to caucus through instance two's REST; South, still in the plenary, sees North leave.
      const caucus = session.parties[0].caucusRoomId!;
      await two
        .http()
        .post(`/api/sessions/${session.id}/participants/${north.participantId}/move`)
        .set(bearer(mediator))
        .send({ roomId: caucus })
        .expect(200);
      await s.waitFor('room.presence', (e) => e.roomId === plenary && e.occupants.length === 1);
      n.clear();
      // Something happens in the plenary: North no longer hears it.
      await one
        .http()
        .post(`/api/sessions/${session.id}/participants/${mediator.participantId}/admit`)
        .set(bearer(mediator))
        .send({ roomId: plenary })
        .expect(200);
      await s.waitFor('room.presence', (e) => e.roomId === plenary && e.occupants.length === 2);
      await n.sync();
      expect(n.mentioning(plenary)).toEqual([]);
      expect(n.events.some((e) => e.event === 'participant.location')).toBe(false);
    } finally {
      [m, n, s].forEach((c) => c.close());
    }
  });

  it('keeps one live draft across instances: editors on each converge, and the stored state is the same on both', async () => {
    const mediator = await register(one, 'Drafting Mediator');
    const session = await createSession(one, mediator, ['East']);
    const party = session.parties[0];
    const member = await inviteNew(one, mediator, session.id, 'East Member', { role: 'party_member', partyId: party.id });
    await one.http().post(`/api/sessions/${session.id}/status`).set(bearer(mediator)).send({ status: 'open' }).expect(200);
    await one
      .http()
      .post(`/api/sessions/${session.id}/participants/${member.participantId}/admit`)
      .set(bearer(mediator))
      .send({ roomId: party.caucusRoomId })
      .expect(200);

    const m = await TestClient.connect(one.url, mediator.token);
    const e = await TestClient.connect(two.url, member.token);
    try {
      await m.join(session.id);
      await e.join(session.id);
      const draft = { kind: 'party' as const, partyId: party.id };
      const onOne = new DraftEditor(draft);
      const onTwo = new DraftEditor(draft);
      await onOne.connect(m);
      await onTwo.connect(e);
      for (let i = 0; i < 20; i++) {
        onOne.text.insert(0, `m${i} `);
        onTwo.text.insert(onTwo.text.length, `e${i} `);
      }
      const deadline = Date.now() + 5000;
      while (onOne.text.toString() !== onTwo.text.toString() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(onOne.text.toString()).toBe(onTwo.text.toString());
      expect(onOne.text.toString()).toContain('e19');
      const stored = async (app: TestApp) =>
        (await app.http().get(`/api/sessions/${session.id}/drafts/parties/${party.id}`).set(bearer(mediator)).expect(200)).body.update;
      await onOne.settled();
      await onTwo.settled();
      expect(await stored(one)).toBe(await stored(two));
    } finally {
      [m, e].forEach((c) => c.close());
    }
  });
});
