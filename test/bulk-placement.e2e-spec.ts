import type { BulkMoveResult, SessionView } from '@parley/contracts';
import { PlacementListeners } from '../libs/sessions/src/application/room-notifier';
import { startApp, TestClient, type TestApp } from './support/harness';
import { bearer, createSession, inviteNew, register, roomOf, type Person } from './support/people';

/**
 * Placing people several at a time: an explicit bulk move, "each delegation to its caucus" and
 * "everyone to the plenary". All decided first by the rule of a single move, refused as a whole when
 * one is refused, applied together, each audited as a single move and each followed by the same
 * media cut and channel change.
 */
describe('bulk placement', () => {
  let app: TestApp;
  let lead: Person;
  let co: Person;
  let session: SessionView;
  const a: Person[] = [];
  const b: Person[] = [];
  let observer: Person;
  /** Every placement change the media (and any other listener) hears, in order, with when it finished. */
  const heard: Array<{ participantId: string; roomId: string | null; doneAt: number }> = [];

  const post = (who: Person, path: string, body: object = {}) =>
    app.http().post(`/api/sessions/${session.id}${path}`).set(bearer(who)).send(body);
  const where = async () => {
    const res = await app.http().get(`/api/sessions/${session.id}/presence`).set(bearer(lead)).expect(200);
    const at = new Map<string, string | null>();
    for (const o of res.body.lobby) at.set(o.participantId, null);
    for (const r of res.body.rooms) for (const o of r.occupants) at.set(o.participantId, r.room.id);
    return at;
  };
  const audit = async () => (await app.http().get(`/api/sessions/${session.id}/audit`).set(bearer(lead)).expect(200)).body;

  beforeAll(async () => {
    app = await startApp();
    // A listener as slow as a media teardown can be: a bulk move must wait for each one.
    app.app.get(PlacementListeners).register({
      placementChanged: async (_sessionId, p) => {
        await new Promise((r) => setTimeout(r, 30));
        heard.push({ participantId: p.id, roomId: p.roomId, doneAt: Date.now() });
      },
    });
    lead = await register(app, 'Lead');
    session = await createSession(app, lead, ['North', 'South']);
    const [north, south] = session.parties;
    co = await inviteNew(app, lead, session.id, 'Co', { role: 'co_mediator' });
    a.push(await inviteNew(app, lead, session.id, 'North Head', { role: 'party_member', partyId: north.id, isHead: true }));
    a.push(await inviteNew(app, lead, session.id, 'North Member', { role: 'party_member', partyId: north.id }));
    b.push(await inviteNew(app, lead, session.id, 'South Head', { role: 'party_member', partyId: south.id, isHead: true }));
    b.push(await inviteNew(app, lead, session.id, 'South Member', { role: 'party_member', partyId: south.id }));
    observer = await inviteNew(app, lead, session.id, 'Observer', { role: 'observer' });
    await post(lead, '/status', { status: 'open' }).expect(200);
  });
  afterAll(() => app.close());

  beforeEach(async () => {
    // Everyone seated in the plenary, one move at a time.
    const plenary = roomOf(session, 'plenary').id;
    for (const p of [lead, co, ...a, ...b, observer]) {
      const res = await post(lead, `/participants/${p.participantId}/move`, { roomId: plenary });
      expect(res.status).toBe(200);
    }
  });

  it('seats each delegation in its caucus in one request, and reconvenes the plenary in another', async () => {
    const [north, south] = session.parties;
    const sockets = await Promise.all(
      [...a, ...b].map(async (p) => {
        const c = await TestClient.connect(app.url, p.token);
        await c.join(session.id);
        return c;
      }),
    );
    try {
      const seqBefore = (await audit()).entries.length;
      heard.length = 0;
      const started = Date.now();
      const res = await post(lead, '/moves/caucuses').expect(200);
      const answeredAt = Date.now();
      const body = res.body as BulkMoveResult;
      expect(body.moved.map((m) => m.participantId).sort()).toEqual([...a, ...b].map((p) => p.participantId).sort());
      const at = await where();
      for (const p of a) expect(at.get(p.participantId!)).toBe(north.caucusRoomId);
      for (const p of b) expect(at.get(p.participantId!)).toBe(south.caucusRoomId);
      // Mediators and the observer stay where they were.
      for (const p of [lead, co, observer]) expect(at.get(p.participantId!)).toBe(roomOf(session, 'plenary').id);

      // One audit entry per move, written as a single move writes it.
      const entries = (await audit()).entries.slice(seqBefore);
      expect(entries.map((e: any) => e.type)).toEqual(Array(4).fill('participant.moved'));
      expect(entries.map((e: any) => e.payload.participantId).sort()).toEqual(body.moved.map((m) => m.participantId).sort());
      expect(entries.every((e: any) => e.actorParticipantId === lead.participantId)).toBe(true);
      expect((await audit()).verification.valid).toBe(true);

      // The media cut (every placement listener) ran for each moved participant, before the answer.
      expect(heard.map((h) => h.participantId).sort()).toEqual(body.moved.map((m) => m.participantId).sort());
      expect(heard.every((h) => h.doneAt >= started && h.doneAt <= answeredAt)).toBe(true);
      for (const [i, p] of [...a, ...b].entries()) {
        const moved = await sockets[i].waitFor('participant.location', (e) => e.participantId === p.participantId);
        expect(moved.room.kind).toBe('caucus');
      }

      // Nothing of the plenary reaches them now; the caucus does.
      sockets.forEach((s) => s.clear());
      const mediatorSocket = await TestClient.connect(app.url, lead.token);
      await mediatorSocket.join(session.id);
      const said = await mediatorSocket.ask('chat.post', {
        roomId: roomOf(session, 'plenary').id,
        text: 'Plenary only',
        clientMessageId: crypto.randomUUID(),
      });
      expect(said.ok).toBe(true);
      for (const s of sockets) await s.sync();
      for (const s of sockets) expect(s.events.filter((e) => e.event === 'room.event')).toEqual([]);
      mediatorSocket.close();

      // Again: nobody left to move, nothing audited.
      const seqAgain = (await audit()).entries.length;
      const again = await post(lead, '/moves/caucuses').expect(200);
      expect(again.body.moved).toEqual([]);
      expect((await audit()).entries.length).toBe(seqAgain);

      // Everyone back: the delegations and the mediators who had gone elsewhere.
      await post(lead, `/participants/${co.participantId}/move`, { roomId: roomOf(session, 'mediator').id }).expect(200);
      const back = await post(co, '/moves/plenary').expect(200);
      expect(back.body.moved.map((m: any) => m.participantId).sort()).toEqual([co, ...a, ...b].map((p) => p.participantId).sort());
      const after = await where();
      for (const p of [lead, co, ...a, ...b, observer]) expect(after.get(p.participantId!)).toBe(roomOf(session, 'plenary').id);
    } finally {
      sockets.forEach((s) => s.close());
    }
  });

  it('moves a chosen few in one request', async () => {
    const [north] = session.parties;
    const res = await post(lead, '/moves', {
      moves: [
        { participantId: a[0].participantId, roomId: north.caucusRoomId },
        { participantId: lead.participantId, roomId: north.caucusRoomId },
        { participantId: observer.participantId, roomId: roomOf(session, 'plenary').id },
      ],
    }).expect(200);
    expect(res.body.moved.map((m: any) => m.participantId)).toEqual([a[0].participantId, lead.participantId]);
    expect(res.body.unchanged).toEqual([observer.participantId]);
  });

  it('refuses the whole request, naming everyone at fault, when one move is not allowed', async () => {
    const [north] = session.parties;
    const before = await where();
    const seqBefore = (await audit()).entries.length;
    heard.length = 0;
    const res = await post(lead, '/moves', {
      moves: [
        { participantId: a[0].participantId, roomId: north.caucusRoomId },
        { participantId: b[0].participantId, roomId: north.caucusRoomId },
        { participantId: observer.participantId, roomId: north.caucusRoomId },
      ],
    }).expect(403);
    expect(res.body).toMatchObject({ code: 'CAUCUS_FORBIDDEN', field: 'moves' });
    expect(res.body.message).toContain('South Head');
    expect(res.body.message).toContain('Observer');
    expect(res.body.details.refused).toEqual([
      expect.objectContaining({ participantId: b[0].participantId, displayName: 'South Head', code: 'CAUCUS_FORBIDDEN' }),
      expect.objectContaining({ participantId: observer.participantId, displayName: 'Observer', code: 'OBSERVER_PLENARY_ONLY' }),
    ]);
    // Nothing moved, nothing audited, nobody's media touched — not even North Head's allowed move.
    expect(await where()).toEqual(before);
    expect((await audit()).entries.length).toBe(seqBefore);
    expect(heard).toEqual([]);
  });

  it('refuses the mediators\u2019 room to a party member and any bulk move to a non-mediator', async () => {
    const res = await post(lead, '/moves', {
      moves: [{ participantId: a[1].participantId, roomId: roomOf(session, 'mediator').id }],
    }).expect(403);
    expect(res.body.code).toBe('MEDIATOR_ROOM_FORBIDDEN');
    for (const path of ['/moves/caucuses', '/moves/plenary']) {
      expect((await post(a[0], path).expect(403)).body.code).toBe('MOVE_FORBIDDEN');
      expect((await post(observer, path).expect(403)).body.code).toBe('MOVE_FORBIDDEN');
    }
    const self = await post(a[0], '/moves', { moves: [{ participantId: a[0].participantId, roomId: session.parties[0].caucusRoomId }] });
    expect(self.status).toBe(403);
    expect(self.body.code).toBe('MOVE_FORBIDDEN');
  });

  it('answers bad input with a code and the field, and moves nobody', async () => {
    const before = await where();
    const plenary = roomOf(session, 'plenary').id;
    const cases: Array<[object, number, string, string]> = [
      [{}, 400, 'VALIDATION_FAILED', 'moves'],
      [{ moves: [] }, 400, 'VALIDATION_FAILED', 'moves'],
      [{ moves: 'all' }, 400, 'VALIDATION_FAILED', 'moves'],
      [{ moves: [{ participantId: 'x', roomId: plenary }] }, 400, 'VALIDATION_FAILED', 'moves.0.participantId'],
      [{ moves: [{ participantId: a[0].participantId, roomId: crypto.randomUUID() }] }, 404, 'ROOM_NOT_FOUND', 'moves.0.roomId'],
      [{ moves: [{ participantId: crypto.randomUUID(), roomId: plenary }] }, 404, 'PARTICIPANT_NOT_FOUND', 'moves.0.participantId'],
      [
        {
          moves: [
            { participantId: a[0].participantId, roomId: plenary },
            { participantId: a[0].participantId, roomId: plenary },
          ],
        },
        400,
        'VALIDATION_FAILED',
        'moves',
      ],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await post(lead, '/moves', body);
      expect({ status: res.status, code: res.body.code, field: res.body.field }).toEqual({ status, code, field });
    }
    expect(await where()).toEqual(before);
  });

  it('lists rooms in one order on every view: plenary, mediators, caucuses in party order, joint rooms by opening', async () => {
    // A session with parties whose caucuses would sort otherwise by id.
    const s = await createSession(app, lead, ['Zulu', 'Alpha', 'Mike']);
    const open = (name: string) =>
      app.http().post(`/api/sessions/${s.id}/rooms`).set(bearer(lead)).send({ name, memberIds: [] }).expect(201);
    const first = (await open('Working group Z')).body.id;
    const second = (await open('Heads A')).body.id;
    const view = (await app.http().get(`/api/sessions/${s.id}`).set(bearer(lead)).expect(200)).body as SessionView;
    const caucusOf = (name: string) => view.parties.find((p) => p.name === name)!.caucusRoomId;
    const expected = [
      roomOf(view, 'plenary').id,
      roomOf(view, 'mediator').id,
      caucusOf('Zulu'),
      caucusOf('Alpha'),
      caucusOf('Mike'),
      first,
      second,
    ];
    expect(view.rooms.map((r) => r.id)).toEqual(expected);
    const presence = (await app.http().get(`/api/sessions/${s.id}/presence`).set(bearer(lead)).expect(200)).body;
    expect(presence.rooms.map((r: any) => r.room.id)).toEqual(expected);
  });
});
