import type { SessionView } from '@parley/contracts';
import { connectRejected, startApp, TestClient, type TestApp } from './support/harness';
import { bearer, createSession, inviteInterpreter, inviteNew, register, roomOf, type Person } from './support/people';
import { ACTORS, ROOMS, ROOM_TABLE, SESSION_TABLE, type Actor, type Outcome, type RoomSlot } from './support/permission-table';

/**
 * The authorisation matrix, generated from test/support/permission-table.ts: every actor × room
 * kind × action, over REST and over Socket.IO. "Denied" also means that nothing of that room
 * reaches the actor's socket.
 */
type Transport = 'rest' | 'socket';

let app: TestApp;
let session: SessionView;
const people = {} as Record<Exclude<Actor, 'anonymous'>, Person>;
let target: Person; // a second co-mediator: may go anywhere, so only the actor's rights decide
let foreignParticipantId: string; // the non-participant's participant id in another session
const sockets = {} as Partial<Record<Actor | 'target' | 'lead2', TestClient>>;
const roomIds = {} as Record<RoomSlot, Record<Actor, string | null>>;

const post = (who: Person | null, path: string, body: object = {}) => {
  const req = app.http().post(`/api/sessions/${session.id}${path}`);
  return (who ? req.set(bearer(who)) : req).send(body);
};
const outcomeOf = (res: { status: number; body: any }): Outcome => (res.status < 300 ? 'allow' : res.body.code);
const ackOutcome = (ack: { ok: boolean; error?: { code: any } }): Outcome => (ack.ok ? 'allow' : ack.error!.code);

async function toLobby(p: Person) {
  const res = await post(people.leadMediator, `/participants/${p.participantId}/lobby`);
  if (res.status !== 200 && res.body.code !== 'ALREADY_IN_LOBBY') throw new Error(`reset failed: ${res.body.code}`);
}

async function resetAll() {
  for (const p of [...Object.values(people), target]) if (p.participantId && p !== people.nonParticipant) await toLobby(p);
  Object.values(sockets).forEach((s) => s?.clear());
}

beforeAll(async () => {
  app = await startApp();
  const lead = await register(app, 'Lead Mediator');
  session = await createSession(app, lead, ['Party A', 'Party B'], ['ar', 'en']);
  const [partyA, partyB] = session.parties;
  people.leadMediator = lead;
  people.coMediator = await inviteNew(app, lead, session.id, 'Co Mediator', { role: 'co_mediator' });
  people.partyAMember = await inviteNew(app, lead, session.id, 'A Member', { role: 'party_member', partyId: partyA.id });
  people.partyAHead = await inviteNew(app, lead, session.id, 'A Head', { role: 'party_member', partyId: partyA.id, isHead: true });
  people.partyBMember = await inviteNew(app, lead, session.id, 'B Member', { role: 'party_member', partyId: partyB.id });
  people.observer = await inviteNew(app, lead, session.id, 'Observer', { role: 'observer' });
  people.partyAInterpreter = await inviteInterpreter(app, lead, session.id, 'A Interpreter', ['ar', 'en'], partyA.id);
  people.mediatorsInterpreter = await inviteInterpreter(app, lead, session.id, 'Mediators Interpreter', ['ar', 'en']);
  target = await inviteNew(app, lead, session.id, 'Second Co Mediator', { role: 'co_mediator' });

  people.nonParticipant = await register(app, 'Outsider');
  const elsewhere = await createSession(app, people.nonParticipant, ['X']);
  foreignParticipantId = elsewhere.me.id;
  people.nonParticipant.participantId = foreignParticipantId;
  session.me.id = lead.participantId!;

  await post(lead, '/status', { status: 'open' }).expect(200);

  // Rooms per actor: the fixed ones, and joint rooms named for (or without) each actor.
  const fixed = {
    plenary: roomOf(session, 'plenary').id,
    caucusA: partyA.caucusRoomId!,
    caucusB: partyB.caucusRoomId!,
    mediatorRoom: roomOf(session, 'mediator').id,
  };
  const jointWithout = (await post(lead, '/rooms', { name: 'Technical group (nobody under test)', memberIds: [] }).expect(201)).body.id;
  for (const slot of ROOMS) roomIds[slot] = {} as Record<Actor, string | null>;
  for (const actor of ACTORS) {
    for (const slot of Object.keys(fixed) as Array<keyof typeof fixed>) roomIds[slot][actor] = fixed[slot];
    roomIds.jointWithoutActor[actor] = jointWithout;
    const p = actor === 'anonymous' ? null : people[actor];
    if (actor === 'leadMediator' || actor === 'coMediator' || actor === 'anonymous') {
      // Mediators are in every joint room without being named; the anonymous have nothing to name.
      roomIds.jointWithActor[actor] = (
        await post(lead, '/rooms', { name: `Joint for ${actor}`, memberIds: [people.partyAMember.participantId] }).expect(201)
      ).body.id;
    } else {
      const res = await post(lead, '/rooms', { name: `Joint with ${actor}`, memberIds: [p!.participantId] });
      roomIds.jointWithActor[actor] = res.status === 201 ? res.body.id : null;
      expect(outcomeOf(res)).toBe(ROOM_TABLE.join[actor].jointWithActor === 'allow' ? 'allow' : ROOM_TABLE.join[actor].jointWithActor);
    }
  }

  for (const actor of ACTORS) {
    if (actor === 'anonymous') continue;
    const c = await TestClient.connect(app.url, people[actor].token);
    sockets[actor] = c;
    const joined = await c.ask('session.join', { sessionId: session.id });
    expect(joined.ok).toBe(actor !== 'nonParticipant');
    if (actor === 'nonParticipant') expect(joined.ok ? null : joined.error.code).toBe('SESSION_NOT_FOUND');
  }
  sockets.target = await TestClient.connect(app.url, target.token);
  await sockets.target.join(session.id);
});

afterAll(async () => {
  await app.close();
  Object.values(sockets).forEach((s) => s?.close());
});

/**
 * The floor (hands and the mediator's clock), over Socket.IO only (these events exist there only),
 * as PRODUCT.md has it: a party member (head or not) raises a hand in the room they are in;
 * observers write nothing; mediators give the floor rather than queue for it; a mediator lowers
 * anyone's hand, a member only their own (here partyBMember's hand is the one lowered); any
 * mediator keeps the time of any room of the session, wherever they are. For the non-participant
 * the socket never joined (SOCKET_NOT_JOINED); the anonymous never connect (UNAUTHENTICATED).
 */
const FLOOR_ACTIONS = ['raiseHand', 'lowerOthersHand'] as const;
const FLOOR_TABLE: Record<(typeof FLOOR_ACTIONS)[number], Record<Actor, Outcome>> = {
  raiseHand: {
    leadMediator: 'PARTY_MEMBER_ONLY',
    coMediator: 'PARTY_MEMBER_ONLY',
    partyAMember: 'allow',
    partyAHead: 'allow',
    partyBMember: 'allow',
    observer: 'OBSERVER_READ_ONLY',
    // An interpreter renders the floor; they do not ask for it.
    partyAInterpreter: 'PARTY_MEMBER_ONLY',
    mediatorsInterpreter: 'PARTY_MEMBER_ONLY',
    nonParticipant: 'SOCKET_NOT_JOINED',
    anonymous: 'UNAUTHENTICATED',
  },
  lowerOthersHand: {
    leadMediator: 'allow',
    coMediator: 'allow',
    partyAMember: 'MEDIATOR_ONLY',
    partyAHead: 'MEDIATOR_ONLY',
    partyBMember: 'allow', // their own hand
    observer: 'OBSERVER_READ_ONLY',
    partyAInterpreter: 'MEDIATOR_ONLY',
    mediatorsInterpreter: 'MEDIATOR_ONLY',
    nonParticipant: 'SOCKET_NOT_JOINED',
    anonymous: 'UNAUTHENTICATED',
  },
};
const timerRow = (nonMediator: Outcome): Record<Actor, Record<RoomSlot, Outcome>> =>
  Object.fromEntries(
    ACTORS.map((a) => [
      a,
      Object.fromEntries(
        ROOMS.map((r) => [
          r,
          a === 'leadMediator' || a === 'coMediator'
            ? 'allow'
            : a === 'nonParticipant'
              ? 'SOCKET_NOT_JOINED'
              : a === 'anonymous'
                ? 'UNAUTHENTICATED'
                : nonMediator,
        ]),
      ),
    ]),
  ) as Record<Actor, Record<RoomSlot, Outcome>>;
const TIMER_TABLE = { setTimer: timerRow('MEDIATOR_ONLY'), clearTimer: timerRow('MEDIATOR_ONLY') };

/** The floor of a room as the lead mediator reads it. */
async function floorOf(roomId: string) {
  const all = await sockets.leadMediator!.ask('floor.get', {});
  if (!all.ok) throw new Error(all.error.code);
  return (all.data as Array<{ roomId: string; hands: Array<{ participantId: string }>; timer: unknown }>).find((f) => f.roomId === roomId)!;
}

/** What a socket-borne action answers for actors who could not join the session. */
const viaSocket = (actor: Actor, expected: Outcome): Outcome =>
  actor === 'nonParticipant' && expected === 'SESSION_NOT_FOUND' ? 'SOCKET_NOT_JOINED' : expected;

async function placeAs(transport: Transport, actor: Actor, kind: 'admit' | 'move', who: string, roomId: string): Promise<Outcome> {
  if (transport === 'rest') {
    const p = actor === 'anonymous' ? null : people[actor];
    return outcomeOf(await post(p, `/participants/${who}/${kind}`, { roomId }));
  }
  if (actor === 'anonymous') return (await connectRejected(app.url)).code;
  return ackOutcome(await sockets[actor]!.ask(`participant.${kind}`, { participantId: who, roomId }));
}

describe.each(['rest', 'socket'] as const)('over %s', (transport) => {
  describe.each(ACTORS)('%s', (actor) => {
    beforeEach(resetAll);

    it.each(ROOMS)('join and receive: %s', async (slot) => {
      const roomId = roomIds[slot][actor];
      const expected = ROOM_TABLE.join[actor][slot];
      if (!roomId) {
        // The room could not even be made with this actor in it (checked in beforeAll).
        expect(expected).not.toBe('allow');
        return;
      }
      let got: Outcome;
      if (actor === 'anonymous') {
        got =
          transport === 'rest'
            ? outcomeOf(await post(null, `/participants/${target.participantId}/move`, { roomId }))
            : (await connectRejected(app.url)).code;
      } else {
        got = await placeAs(transport, 'leadMediator', 'admit', people[actor].participantId!, roomId);
      }
      expect(got).toBe(expected);

      // receive: someone else enters; the room's presence reaches the actor only if they are in it.
      const socket = sockets[actor];
      await post(people.leadMediator, `/participants/${target.participantId}/admit`, { roomId }).expect(200);
      if (!socket) return;
      await socket.sync();
      const presence = socket.events.filter((e) => e.event === 'room.presence' && e.payload.roomId === roomId);
      if (ROOM_TABLE.receive[actor][slot] === 'allow') {
        expect(presence.at(-1)?.payload.occupants.map((o: any) => o.participantId)).toContain(target.participantId);
      } else {
        expect(socket.mentioning(roomId)).toEqual([]);
      }
    });

    it.each(ROOMS)('enterSelf: %s', async (slot) => {
      const roomId = roomIds[slot][actor] ?? roomIds.jointWithoutActor[actor]!;
      const expected = ROOM_TABLE.enterSelf[actor][slot];
      const who = actor === 'anonymous' ? target.participantId! : people[actor].participantId!;
      const got = await placeAs(transport, actor, 'move', who, roomId);
      expect(got).toBe(transport === 'socket' ? viaSocket(actor, expected) : expected);
    });

    it.each(ROOMS)('moveOthers: %s', async (slot) => {
      const roomId = roomIds[slot][actor] ?? roomIds.jointWithoutActor[actor]!;
      await post(people.leadMediator, `/participants/${target.participantId}/admit`, { roomId: roomIds.plenary[actor] }).expect(200);
      const expected = ROOM_TABLE.moveOthers[actor][slot];
      const got = await placeAs(transport, actor, 'move', target.participantId!, roomId);
      expect(got).toBe(transport === 'socket' ? viaSocket(actor, expected) : expected);
      if (got !== 'allow') {
        const overview = await app.http().get(`/api/sessions/${session.id}/presence`).set(bearer(people.leadMediator)).expect(200);
        const plenary = overview.body.rooms.find((r: any) => r.room.id === roomIds.plenary[actor]);
        expect(plenary.occupants.map((o: any) => o.participantId)).toContain(target.participantId); // nothing changed
      }
    });

    it.each(ROOMS)('admit: %s', async (slot) => {
      const roomId = roomIds[slot][actor] ?? roomIds.jointWithoutActor[actor]!;
      const expected = ROOM_TABLE.admit[actor][slot];
      const got = await placeAs(transport, actor, 'admit', target.participantId!, roomId);
      expect(got).toBe(transport === 'socket' ? viaSocket(actor, expected) : expected);
    });

    it.each([
      ['inviteParty', { role: 'party_member' }],
      ['inviteCoMediator', { role: 'co_mediator' }],
    ] as const)('%s', async (action, body) => {
      const payload = { ...body, ...(body.role === 'party_member' ? { partyId: session.parties[0].id } : {}) };
      const expected = SESSION_TABLE[action][actor];
      let got: Outcome;
      if (transport === 'rest') {
        const req = app.http().post(`/api/sessions/${session.id}/invitations`);
        got = outcomeOf(await (actor === 'anonymous' ? req : req.set(bearer(people[actor]))).send(payload));
      } else {
        got =
          actor === 'anonymous'
            ? (await connectRejected(app.url)).code
            : ackOutcome(await sockets[actor]!.ask('invitation.create', payload));
      }
      expect(got).toBe(transport === 'socket' ? viaSocket(actor, expected) : expected);
    });

    // The floor exists over Socket.IO only.
    if (transport === 'socket') {
      it.each(FLOOR_ACTIONS)('%s', async (action) => {
        const plenary = roomIds.plenary[actor]!;
        const holder = action === 'raiseHand' ? (actor === 'anonymous' ? null : people[actor]) : people.partyBMember;
        if (holder?.participantId && holder !== people.nonParticipant) {
          await post(people.leadMediator, `/participants/${holder.participantId}/admit`, { roomId: plenary }).expect(200);
        }
        if (action === 'lowerOthersHand') expect((await sockets.partyBMember!.ask('hand.raise', {})).ok).toBe(true);
        if (actor !== 'anonymous' && actor !== 'leadMediator') {
          await post(people.leadMediator, `/participants/${people[actor].participantId}/admit`, { roomId: plenary });
        }
        let got: Outcome;
        if (actor === 'anonymous') got = (await connectRejected(app.url)).code;
        else if (action === 'raiseHand') got = ackOutcome(await sockets[actor]!.ask('hand.raise', {}));
        else got = ackOutcome(await sockets[actor]!.ask('hand.lower', { participantId: people.partyBMember.participantId }));
        expect(got).toBe(FLOOR_TABLE[action][actor]);
        const hands = (await floorOf(plenary)).hands.map((h) => h.participantId);
        if (action === 'raiseHand') expect(hands.includes(holder?.participantId ?? '')).toBe(got === 'allow');
        else expect(hands.includes(people.partyBMember.participantId!)).toBe(got !== 'allow');
        await sockets.leadMediator!.ask('hand.lower', { participantId: people.partyBMember.participantId });
      });

      it.each(ROOMS)('setTimer and clearTimer: %s', async (slot) => {
        const roomId = roomIds[slot][actor] ?? roomIds.jointWithoutActor[actor]!;
        const ask = async (event: string, payload: object): Promise<Outcome> =>
          actor === 'anonymous' ? (await connectRejected(app.url)).code : ackOutcome(await sockets[actor]!.ask(event, payload));
        const set = await ask('timer.set', { roomId, seconds: 90, purpose: 'speaking' });
        expect(set).toBe(TIMER_TABLE.setTimer[actor][slot]);
        expect((await floorOf(roomId)).timer !== null).toBe(set === 'allow');
        // A running clock, which only a mediator stops.
        expect((await sockets.leadMediator!.ask('timer.set', { roomId, seconds: 90, purpose: 'break' })).ok).toBe(true);
        const cleared = await ask('timer.clear', { roomId });
        expect(cleared).toBe(TIMER_TABLE.clearTimer[actor][slot]);
        expect((await floorOf(roomId)).timer === null).toBe(cleared === 'allow');
        await sockets.leadMediator!.ask('timer.clear', { roomId });
      });
    }

    // Bulk moves, the gatherings and the invitations list exist over REST only.
    if (transport === 'rest') {
      it.each(ROOMS)('moveOthersBulk: %s', async (slot) => {
        const roomId = roomIds[slot][actor] ?? roomIds.jointWithoutActor[actor]!;
        await post(people.leadMediator, `/participants/${target.participantId}/admit`, { roomId: roomIds.plenary[actor] }).expect(200);
        const expected = ROOM_TABLE.moveOthersBulk[actor][slot];
        const got = outcomeOf(
          await post(actor === 'anonymous' ? null : people[actor], '/moves', { moves: [{ participantId: target.participantId, roomId }] }),
        );
        expect(got).toBe(expected);
        const overview = await app.http().get(`/api/sessions/${session.id}/presence`).set(bearer(people.leadMediator)).expect(200);
        const at = overview.body.rooms.find((r: any) => r.occupants.some((o: any) => o.participantId === target.participantId));
        expect(at?.room.id).toBe(got === 'allow' ? roomId : roomIds.plenary[actor]);
      });

      it.each([
        ['gatherCaucuses', '/moves/caucuses'],
        ['gatherPlenary', '/moves/plenary'],
      ] as const)('%s', async (action, path) => {
        const expected = SESSION_TABLE[action][actor];
        const got = outcomeOf(await post(actor === 'anonymous' ? null : people[actor], path));
        expect(got).toBe(expected);
      });

      it('listInvitations', async () => {
        const req = app.http().get(`/api/sessions/${session.id}/invitations`);
        const res = await (actor === 'anonymous' ? req : req.set(bearer(people[actor])));
        expect(outcomeOf(res)).toBe(SESSION_TABLE.listInvitations[actor]);
        if (res.status === 200) expect(res.body.length).toBeGreaterThan(0);
      });

      it.each(['revokeInvitation', 'reissueInvitation'] as const)('%s', async (action) => {
        const made = (await post(people.leadMediator, '/invitations', { role: 'observer', displayName: 'Matrix Guest' }).expect(201)).body;
        const path = `/api/sessions/${session.id}/invitations/${made.id}`;
        const req = action === 'revokeInvitation' ? app.http().delete(path) : app.http().post(`${path}/reissue`);
        const got = outcomeOf(await (actor === 'anonymous' ? req : req.set(bearer(people[actor]))));
        expect(got).toBe(SESSION_TABLE[action][actor]);
        // Refused: the link still opens. Allowed: it is refused as revoked.
        const preview = await app.http().get(`/api/invitations/${made.token}`);
        expect(preview.status === 200 ? 'open' : preview.body.code).toBe(got === 'allow' ? 'INVITATION_REVOKED' : 'open');
      });
    }

    it('suspend (then reopen)', async () => {
      const expected = SESSION_TABLE.suspend[actor];
      let got: Outcome;
      if (transport === 'rest') {
        got = outcomeOf(await post(actor === 'anonymous' ? null : people[actor], '/status', { status: 'suspended' }));
      } else {
        got =
          actor === 'anonymous'
            ? (await connectRejected(app.url)).code
            : ackOutcome(await sockets[actor]!.ask('session.change-status', { status: 'suspended' }));
      }
      expect(got).toBe(transport === 'socket' ? viaSocket(actor, expected) : expected);
      const status = (await app.http().get(`/api/sessions/${session.id}`).set(bearer(people.leadMediator))).body.status;
      expect(status).toBe(got === 'allow' ? 'suspended' : 'open');
      if (got === 'allow') await post(people.leadMediator, '/status', { status: 'open' }).expect(200);
    });

    it('close', async () => {
      const expected = SESSION_TABLE.close[actor];
      // The lead mediator closes a session of their own (closing is final); everyone else tries this one.
      let sessionId = session.id;
      let socket = actor === 'anonymous' ? undefined : sockets[actor];
      if (expected === 'allow') {
        sessionId = (await app.http().post('/api/sessions').set(bearer(people.leadMediator)).send({ title: 'To be closed' }).expect(201))
          .body.id;
        if (transport === 'socket') {
          socket = sockets.lead2 ??= await TestClient.connect(app.url, people.leadMediator.token);
          await socket.join(sessionId);
        }
      }
      let got: Outcome;
      if (transport === 'rest') {
        const req = app.http().post(`/api/sessions/${sessionId}/status`);
        got = outcomeOf(await (actor === 'anonymous' ? req : req.set(bearer(people[actor]))).send({ status: 'closed' }));
      } else {
        got = !socket ? (await connectRejected(app.url)).code : ackOutcome(await socket.ask('session.change-status', { status: 'closed' }));
      }
      expect(got).toBe(transport === 'socket' ? viaSocket(actor, expected) : expected);
      const status = (await app.http().get(`/api/sessions/${sessionId}`).set(bearer(people.leadMediator))).body.status;
      expect(status).toBe(got === 'allow' ? 'closed' : 'open');
    });
  });
});
