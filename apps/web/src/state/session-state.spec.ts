import type { AgreementView, PresenceOverview, RoomEvent, RoomFloor, RoomView, SessionView, ShuttleMessageView } from '@parley/contracts';
import { contiguousEnd, initialState, isStale, reduce, secondsLeft, type SessionState } from './session-state';

const plenary: RoomView = { id: 'r-plenary', kind: 'plenary', name: 'Plenary', partyId: null, memberIds: [] };
const caucus: RoomView = { id: 'r-caucus-a', kind: 'caucus', name: 'North', partyId: 'p-a', memberIds: [] };

function aSession(overrides: Partial<SessionView> = {}): SessionView {
  return {
    id: 's-1',
    title: 'Harbour',
    description: '',
    status: 'open',
    coolingOffSeconds: 0,
    languages: [],
    createdAt: '2026-11-28T10:00:00.000Z',
    break: null,
    parties: [
      { id: 'p-a', name: 'North', caucusRoomId: caucus.id },
      { id: 'p-b', name: 'South', caucusRoomId: null },
    ],
    rooms: [plenary, caucus],
    me: { id: 'me', userId: 'u-me', displayName: 'Ana', role: 'party_member', partyId: 'p-a', isHead: true, roomId: null },
    ...overrides,
  };
}

const chat = (roomId: string, seq: number, text = `m${seq}`): RoomEvent => ({
  sessionId: 's-1',
  roomId,
  seq,
  createdAt: '2026-11-28T10:00:00.000Z',
  type: 'chat.message',
  payload: { id: `c${seq}`, text, authorParticipantId: 'x', authorName: 'X', authorRole: 'party_member', clientMessageId: `k${seq}` },
});

const shuttle = (status: ShuttleMessageView['status'], updatedAt: string): ShuttleMessageView => ({
  id: 'sh-1',
  sessionId: 's-1',
  partyId: 'p-a',
  authorParticipantId: 'me',
  authorName: 'Ana',
  label: 'conveyable',
  conveyToPartyId: 'p-b',
  text: 'We could accept a 10-year lease.',
  status,
  releaseAt: updatedAt,
  createdAt: '2026-11-28T10:00:00.000Z',
  updatedAt,
  conveyedText: null,
  conveyMode: null,
  diff: null,
  declineReason: null,
  clientMessageId: 'k-1',
});

const agreement = (revision: number): AgreementView => ({
  sessionId: 's-1',
  status: 'drafting',
  revision,
  clauses: [],
  finalSha256: null,
  finalisedAt: null,
  signOffs: [],
});

const run = (s: SessionState, ...actions: Parameters<typeof reduce>[1][]) => actions.reduce(reduce, s);

describe('session state', () => {
  let sut: SessionState;
  beforeEach(() => {
    sut = initialState(aSession());
  });

  describe('break', () => {
    const brk = { reason: 'Consultations with capitals', startedAt: '2026-11-28T10:00:00.000Z', endsAt: '2026-11-28T10:15:00.000Z' };

    it('is known from the status event, the join and the REST view, and ends with the suspension', () => {
      const suspended = reduce(sut, { type: 'status', status: 'suspended', break: brk });
      expect(suspended.break).toEqual(brk);
      // A later reading without a break (an older event shape) keeps it while still suspended.
      expect(reduce(suspended, { type: 'status', status: 'suspended' }).break).toEqual(brk);
      expect(reduce(suspended, { type: 'status', status: 'open', break: brk }).break).toBeNull();
      expect(reduce(suspended, { type: 'status', status: 'closed' }).break).toBeNull();
      expect(initialState(aSession({ status: 'suspended', break: brk })).break).toEqual(brk);
      expect(reduce(sut, { type: 'session', session: aSession({ status: 'suspended', break: brk }) }).break).toEqual(brk);
      expect(reduce(suspended, { type: 'session', session: aSession({ status: 'open', break: null }) }).break).toBeNull();
    });
  });

  describe('location', () => {
    it('follows my own moves, lobby included', () => {
      const moved = run(sut, { type: 'location', e: { sessionId: 's-1', participantId: 'me', room: caucus, reason: 'admitted' } });
      expect(moved.me.roomId).toBe(caucus.id);
      const back = reduce(moved, { type: 'location', e: { sessionId: 's-1', participantId: 'me', room: null, reason: 'sent_to_lobby' } });
      expect(back.me.roomId).toBeNull();
    });

    it("ignores other people's moves (the same object comes back)", () => {
      expect(reduce(sut, { type: 'location', e: { sessionId: 's-1', participantId: 'other', room: plenary, reason: 'moved' } })).toBe(sut);
    });

    it('learns a room it did not know (a joint room it was named in)', () => {
      const joint: RoomView = { id: 'r-joint', kind: 'joint', name: 'Heads', partyId: null, memberIds: ['me'] };
      const s = reduce(sut, { type: 'location', e: { sessionId: 's-1', participantId: 'me', room: joint, reason: 'moved' } });
      expect(s.session.rooms.map((r) => r.id)).toEqual([plenary.id, caucus.id, joint.id]);
    });
  });

  describe('room streams', () => {
    it('keeps each seq once, in order, whatever order live events and history arrive in', () => {
      const s = run(
        sut,
        {
          type: 'history',
          h: { roomId: plenary.id, events: [chat(plenary.id, 3), chat(plenary.id, 2), chat(plenary.id, 1)], lastSeq: 3, more: false },
        },
        { type: 'room.event', e: chat(plenary.id, 3) },
        { type: 'room.event', e: chat(plenary.id, 4) },
        { type: 'history', h: { roomId: plenary.id, events: [chat(plenary.id, 4)], lastSeq: 4, more: false } },
      );
      expect(s.streams[plenary.id].map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      expect(s.gaps).toEqual([]);
    });

    it('marks a gap when a live event skips a seq, and clears it once history fills the hole', () => {
      const s1 = run(
        sut,
        { type: 'history', h: { roomId: plenary.id, events: [chat(plenary.id, 1)], lastSeq: 1, more: false } },
        { type: 'room.event', e: chat(plenary.id, 3) },
      );
      expect(s1.gaps).toEqual([plenary.id]);
      const s2 = reduce(s1, {
        type: 'history',
        h: { roomId: plenary.id, events: [chat(plenary.id, 2), chat(plenary.id, 3)], lastSeq: 3, more: false },
      });
      expect(s2.gaps).toEqual([]);
      expect(s2.streams[plenary.id].map((e) => e.seq)).toEqual([1, 2, 3]);
    });

    it('does not call an unread room a gap: its history is read in full when opened', () => {
      expect(reduce(sut, { type: 'room.event', e: chat(caucus.id, 9) }).gaps).toEqual([]);
    });

    it('an empty history still records that the room was read', () => {
      expect(reduce(sut, { type: 'history', h: { roomId: caucus.id, events: [], lastSeq: 0, more: false } }).streams[caucus.id]).toEqual(
        [],
      );
    });
  });

  describe('shuttle messages', () => {
    it('a later state replaces an earlier one, never the reverse', () => {
      const s = run(
        sut,
        { type: 'shuttle', messages: [shuttle('pending', '2026-11-28T10:00:02.000Z')] },
        { type: 'shuttle', messages: [shuttle('conveyed', '2026-11-28T10:00:05.000Z')] },
        { type: 'shuttle', messages: [shuttle('pending', '2026-11-28T10:00:02.000Z')] },
      );
      expect(s.shuttle['sh-1'].status).toBe('conveyed');
    });

    it('reads shuttle states carried in the caucus stream too', () => {
      const e: RoomEvent = {
        sessionId: 's-1',
        roomId: caucus.id,
        seq: 1,
        createdAt: '2026-11-28T10:00:00.000Z',
        type: 'shuttle.message',
        payload: shuttle('held', '2026-11-28T10:00:09.000Z'),
      };
      expect(reduce(sut, { type: 'room.event', e }).shuttle['sh-1'].status).toBe('held');
    });
  });

  describe('agreement', () => {
    it('keeps the highest revision when texts cross on the wire', () => {
      const s = run(sut, { type: 'agreement', view: agreement(5) }, { type: 'agreement', view: agreement(4) });
      expect(s.agreement!.revision).toBe(5);
      expect(reduce(s, { type: 'agreement', view: agreement(6) }).agreement!.revision).toBe(6);
    });

    it('upserts proposals by id', () => {
      const p = { id: 'pr-1', status: 'open' } as never;
      const adopted = { id: 'pr-1', status: 'adopted' } as never;
      const s = run(sut, { type: 'proposals', proposals: [p] }, { type: 'proposals', proposals: [adopted] });
      expect(Object.values(s.proposals)).toEqual([adopted]);
    });
  });

  it('status and overview replace what was there', () => {
    const overview = { sessionId: 's-1', lobby: [], rooms: [] };
    const s = run(sut, { type: 'status', status: 'suspended' }, { type: 'overview', e: overview });
    expect(s.status).toBe('suspended');
    expect(s.overview).toBe(overview);
  });

  describe('a REST reading of the session', () => {
    it('never moves me: where I am comes from location events', () => {
      const inCaucus = reduce(sut, { type: 'location', e: { sessionId: 's-1', participantId: 'me', room: caucus, reason: 'moved' } });
      const stale = aSession({ me: { ...aSession().me, roomId: plenary.id } });
      expect(reduce(inCaucus, { type: 'session', session: stale }).me.roomId).toBe(caucus.id);
    });

    it('a new delegation drops everything read under the old one', () => {
      const loaded = run(
        sut,
        { type: 'shuttle', messages: [shuttle('pending', '2026-11-28T10:00:02.000Z')] },
        { type: 'proposals', proposals: [{ id: 'pr-private', status: 'open', responses: [] } as never] },
        { type: 'agreement', view: agreement(3) },
        { type: 'history', h: { roomId: caucus.id, events: [chat(caucus.id, 1)], lastSeq: 1, more: false } },
        { type: 'connection', connection: 'online' },
      );
      const moved = aSession({ me: { ...aSession().me, partyId: 'p-b' } });
      const s = reduce(loaded, { type: 'session', session: moved });
      expect(s.me.partyId).toBe('p-b');
      expect({ shuttle: s.shuttle, proposals: s.proposals, agreement: s.agreement, streams: s.streams }).toEqual({
        shuttle: {},
        proposals: {},
        agreement: null,
        streams: {},
      });
      expect(s.connection).toBe('online');
    });

    it('the same side keeps what it read', () => {
      const loaded = reduce(sut, { type: 'agreement', view: agreement(3) });
      expect(reduce(loaded, { type: 'session', session: aSession({ title: 'Renamed' }) }).agreement).not.toBeNull();
    });
  });

  describe('proposals arriving out of order', () => {
    const p = (status: 'open' | 'adopted' | 'withdrawn', responses: number) =>
      ({ id: 'pr-1', status, responses: Array.from({ length: responses }, (_, i) => ({ partyId: `p${i}` })) }) as never;

    it.each([
      [undefined, p('open', 0), false],
      [p('adopted', 1), p('open', 1), true],
      [p('withdrawn', 0), p('open', 0), true],
      [p('open', 2), p('open', 1), true],
      [p('open', 1), p('open', 2), false],
      [p('open', 1), p('adopted', 1), false],
    ])('current %j, incoming %j → stale %s', (current, incoming, stale) => {
      expect(isStale(current, incoming)).toBe(stale);
    });

    it('a list read before an adoption does not reopen it', () => {
      const s = run(sut, { type: 'proposals', proposals: [p('adopted', 1)] }, { type: 'proposals', proposals: [p('open', 1)] });
      expect(s.proposals['pr-1'].status).toBe('adopted');
    });
  });

  it('contiguousEnd: history is read again from the first hole', () => {
    expect(contiguousEnd([])).toBe(0);
    expect(contiguousEnd([chat('r', 4), chat('r', 5), chat('r', 6)])).toBe(6);
    expect(contiguousEnd([chat('r', 4), chat('r', 5), chat('r', 9)])).toBe(5);
  });

  it('connection and refusal are state the page renders', () => {
    const s = run(
      sut,
      { type: 'connection', connection: 'offline' },
      { type: 'fatal', error: { code: 'SESSION_CLOSED', message: 'The session is closed.' } },
    );
    expect(s).toMatchObject({ connection: 'offline', fatal: { code: 'SESSION_CLOSED' } });
    expect(reduce(s, { type: 'connection', connection: 'offline' })).toBe(s);
  });

  it('a join refused SESSION_CLOSED closes the page’s session (it missed session.status while reconnecting); other refusals do not', () => {
    const onBreak = run(sut, { type: 'status', status: 'suspended', break: null });
    const closed = reduce(onBreak, { type: 'fatal', error: { code: 'SESSION_CLOSED', message: 'The session is closed.' } });
    expect(closed).toMatchObject({ status: 'closed', break: null });
    const refused = reduce(sut, { type: 'fatal', error: { code: 'OBSERVER_READ_ONLY', message: 'Observers read only.' } });
    expect(refused.status).toBe(sut.status);
  });

  it('a room read empty: a first live event past seq 1 is a hole, caught up from the start (its own post acknowledged first)', () => {
    const empty = reduce(sut, { type: 'history', h: { roomId: plenary.id, events: [], lastSeq: 0, more: false } });
    expect(empty.floors[plenary.id]).toBe(0);
    const ownPost = reduce(empty, { type: 'room.event', e: chat(plenary.id, 2) });
    expect(ownPost.gaps).toEqual([plenary.id]);
    expect(contiguousEnd(ownPost.streams[plenary.id], ownPost.floors[plenary.id])).toBe(0);
    const caughtUp = reduce(ownPost, {
      type: 'history',
      h: { roomId: plenary.id, events: [chat(plenary.id, 1), chat(plenary.id, 2)], lastSeq: 2, more: false },
    });
    expect(caughtUp.gaps).toEqual([]);
    expect(caughtUp.streams[plenary.id].map((e) => e.seq)).toEqual([1, 2]);
    // A room read as its latest page: what came before that page is older history, not a hole.
    const paged = reduce(sut, {
      type: 'history',
      h: { roomId: caucus.id, events: [chat(caucus.id, 401), chat(caucus.id, 402)], lastSeq: 402, more: true },
    });
    expect(contiguousEnd(paged.streams[caucus.id], paged.floors[caucus.id])).toBe(402);
    expect(reduce(paged, { type: 'room.event', e: chat(caucus.id, 403) }).gaps).toEqual([]);
  });

  it('a refusal stays until a join succeeds: joining does not clear it, online does', () => {
    const refused = run(
      sut,
      { type: 'fatal', error: { code: 'DATABASE_UNAVAILABLE', message: 'x' } },
      { type: 'connection', connection: 'joining' },
    );
    expect(refused).toMatchObject({ connection: 'joining', fatal: { code: 'DATABASE_UNAVAILABLE' } });
    expect(reduce(refused, { type: 'connection', connection: 'online' }).fatal).toBeNull();
  });

  it('another device: the page says where the session is open, and keeps what it read across a new REST view', () => {
    const read = run(sut, { type: 'history', h: { roomId: plenary.id, events: [chat(plenary.id, 1)], lastSeq: 1, more: false } });
    const elsewhere = reduce(read, { type: 'device', device: 'elsewhere' });
    expect(elsewhere.device).toBe('elsewhere');
    expect(elsewhere.streams[plenary.id]).toHaveLength(1);
    expect(reduce(elsewhere, { type: 'device', device: 'elsewhere' })).toBe(elsewhere);
    // A new delegation resets what was read, not which device holds the session.
    const moved = reduce(elsewhere, { type: 'session', session: aSession({ me: { ...aSession().me, partyId: 'p-b' } }) });
    expect(moved).toMatchObject({ device: 'elsewhere', streams: {} });
    expect(reduce(moved, { type: 'device', device: 'here' }).device).toBe('here');
  });
});

describe('the floor of the rooms', () => {
  const floor = (roomId: string, serverTime: string, hands: string[] = [], endsAt?: string): RoomFloor => ({
    sessionId: 's-1',
    roomId,
    hands: hands.map((participantId, i) => ({ participantId, raisedAt: `2026-12-02T12:00:0${i}.000Z` })),
    timer: endsAt ? { purpose: 'speaking', label: null, durationSeconds: 120, startedAt: serverTime, endsAt, setBy: 'med' } : null,
    serverTime,
  });
  const seated = (roomId: string | null, role: SessionView['me']['role'] = 'party_member') =>
    reduce(initialState(aSession({ me: { ...aSession().me, role, roomId } })), {
      type: 'location',
      e: { sessionId: 's-1', participantId: 'me', room: roomId === caucus.id ? caucus : roomId ? plenary : null, reason: 'moved' },
    });

  it('keeps the latest floor of each room, whichever arrives last on the wire', () => {
    let sut = seated(plenary.id);
    const newer = floor(plenary.id, '2026-12-02T12:00:05.000Z', ['a', 'b']);
    const older = floor(plenary.id, '2026-12-02T12:00:04.000Z', ['a']);
    sut = reduce(sut, { type: 'floor', floors: [newer], receivedAt: Date.parse('2026-12-02T12:00:05.000Z') });
    sut = reduce(sut, { type: 'floor', floors: [older], receivedAt: Date.parse('2026-12-02T12:00:06.000Z') });
    expect(sut.roomFloors[plenary.id].hands.map((h) => h.participantId)).toEqual(['a', 'b']);
    // Another session's floor is none of this page's business.
    expect(
      reduce(sut, { type: 'floor', floors: [{ ...newer, sessionId: 's-2', roomId: 'x' }], receivedAt: 0 }).roomFloors.x,
    ).toBeUndefined();
  });

  it("counts down by the server's clock, whatever this machine's says", () => {
    // This machine is 30 s behind the server.
    const sut = reduce(seated(plenary.id), {
      type: 'floor',
      floors: [floor(plenary.id, '2026-12-02T12:00:30.000Z', [], '2026-12-02T12:02:30.000Z')],
      receivedAt: Date.parse('2026-12-02T12:00:00.000Z'),
    });
    expect(sut.serverOffsetMs).toBe(30_000);
    expect(secondsLeft(sut.roomFloors[plenary.id].timer!.endsAt, sut.serverOffsetMs, Date.parse('2026-12-02T12:00:00.000Z'))).toBe(120);
    expect(secondsLeft(sut.roomFloors[plenary.id].timer!.endsAt, sut.serverOffsetMs, Date.parse('2026-12-02T12:03:00.000Z'))).toBe(0);
    // Measured on arrival, the offset errs by the transit: the clock never shows more than was set.
    expect(secondsLeft(sut.roomFloors[plenary.id].timer!.endsAt, sut.serverOffsetMs, Date.parse('2026-12-01T23:00:00.000Z'), 120)).toBe(
      120,
    );
  });

  it("leaves nothing of a room's floor or speaker on a participant's page once moved out; a mediator keeps every room's", () => {
    for (const role of ['party_member', 'lead_mediator'] as const) {
      let sut = seated(plenary.id, role);
      sut = reduce(sut, { type: 'floor', floors: [floor(plenary.id, '2026-12-02T12:00:00.000Z', ['a'])], receivedAt: 0 });
      sut = reduce(sut, { type: 'activity', e: { sessionId: 's-1', roomId: plenary.id, speaking: 'a', levels: [] } });
      sut = reduce(sut, { type: 'location', e: { sessionId: 's-1', participantId: 'me', room: caucus, reason: 'moved' } });
      expect([role, Object.keys(sut.roomFloors), Object.keys(sut.speaking)]).toEqual(
        role === 'party_member' ? [role, [], []] : [role, [plenary.id], [plenary.id]],
      );
    }
  });

  it('replaces every floor with a full reading', () => {
    let sut = seated(plenary.id, 'lead_mediator');
    sut = reduce(sut, { type: 'floor', floors: [floor('gone', '2026-12-02T12:00:00.000Z')], receivedAt: 0 });
    sut = reduce(sut, { type: 'floors', floors: [floor(plenary.id, '2026-12-02T12:00:00.000Z')], receivedAt: 0 });
    expect(Object.keys(sut.roomFloors)).toEqual([plenary.id]);
  });

  it("remembers each person's last room from the overviews, under what was remembered from before a reload", () => {
    const overview = (at: Record<string, string | null>): PresenceOverview => ({
      sessionId: 's-1',
      lobby: Object.entries(at)
        .filter(([, r]) => r === null)
        .map(([participantId]) => ({ participantId, displayName: participantId, role: 'party_member', partyId: 'p-a', connected: true })),
      rooms: [plenary, caucus].map((room) => ({
        room,
        occupants: Object.entries(at)
          .filter(([, r]) => r === room.id)
          .map(([participantId]) => ({ participantId, displayName: participantId, role: 'party_member', partyId: 'p-a', connected: true })),
      })),
    });
    let sut = seated(null, 'lead_mediator');
    sut = reduce(sut, { type: 'lastRooms', lastRooms: { ana: plenary.id, ben: plenary.id } });
    sut = reduce(sut, { type: 'overview', e: overview({ ana: caucus.id, ben: null }) });
    sut = reduce(sut, { type: 'overview', e: overview({ ana: null, ben: null }) });
    expect(sut.lastRooms).toEqual({ ana: caucus.id, ben: plenary.id });
  });
});
