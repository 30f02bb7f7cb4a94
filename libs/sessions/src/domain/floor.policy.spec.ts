import type { ParticipantRole, SessionStatus } from '@parley/contracts';
import { aParticipant, aRoom, codeOf } from './testing.factories';
import {
  TIMER_LABEL_MAX,
  TIMER_MAX_SECONDS,
  decideClearTimer,
  decideLower,
  decideRaise,
  decideTimer,
  floorRoomsVisibleTo,
  maySeeFloor,
  queueOf,
  staleHands,
  timerLabel,
  type Hand,
} from './floor.policy';

const now = new Date('2026-12-02T12:00:00.000Z');
const plenary = aRoom('plenary');
const caucusA = aRoom('caucus', { partyId: 'A' });

describe('decideRaise', () => {
  const table: Array<[string, ParticipantRole, boolean, string]> = [
    ['a party member', 'party_member', false, 'allow'],
    ['a head of delegation', 'party_member', true, 'allow'],
    ['an observer', 'observer', false, 'OBSERVER_READ_ONLY'],
    ['an interpreter', 'interpreter', false, 'PARTY_MEMBER_ONLY'],
    ['a lead mediator', 'lead_mediator', false, 'PARTY_MEMBER_ONLY'],
    ['a co-mediator', 'co_mediator', false, 'PARTY_MEMBER_ONLY'],
  ];
  it.each(table)('%s seated in the plenary: %s', (_who, role, isHead, expected) => {
    const sut = aParticipant(role, { isHead, partyId: role === 'party_member' ? 'A' : null, roomId: plenary.id });
    expect(codeOf(() => decideRaise(sut, 'open', null, now))).toBe(expected === 'allow' ? 'allow' : expected);
  });

  it('raises in the room one is in, at the time given', () => {
    const sut = aParticipant('party_member', { partyId: 'A', roomId: caucusA.id });
    expect(decideRaise(sut, 'open', null, now)).toEqual({ type: 'hand.raised', participantId: sut.id, roomId: caucusA.id, raisedAt: now });
  });

  it('keeps the place in the queue when raised again in the same room', () => {
    const sut = aParticipant('party_member', { partyId: 'A', roomId: plenary.id });
    const up: Hand = { participantId: sut.id, roomId: plenary.id, raisedAt: new Date(now.getTime() - 5000) };
    expect(decideRaise(sut, 'open', up, now)).toBeNull();
  });

  it('replaces a hand left up in another room', () => {
    const sut = aParticipant('party_member', { partyId: 'A', roomId: caucusA.id });
    const old: Hand = { participantId: sut.id, roomId: plenary.id, raisedAt: now };
    expect(decideRaise(sut, 'open', old, now)).toMatchObject({ type: 'hand.raised', roomId: caucusA.id });
  });

  it('refuses a member in the lobby', () => {
    expect(codeOf(() => decideRaise(aParticipant('party_member', { roomId: null }), 'open', null, now))).toBe('NOT_IN_ROOM');
  });

  it.each<[SessionStatus, string]>([
    ['draft', 'SESSION_NOT_OPEN'],
    ['suspended', 'SESSION_NOT_OPEN'],
    ['closed', 'SESSION_CLOSED'],
  ])('refuses in a %s session', (status, code) => {
    expect(codeOf(() => decideRaise(aParticipant('party_member', { roomId: plenary.id }), status, null, now))).toBe(code);
  });
});

describe('decideLower', () => {
  const member = aParticipant('party_member', { partyId: 'A', roomId: plenary.id });
  const other = aParticipant('party_member', { partyId: 'B', roomId: plenary.id });
  const hand = (p: { id: string }): Hand => ({ participantId: p.id, roomId: plenary.id, raisedAt: now });

  it('lowers one own hand', () => {
    expect(decideLower(member, member, hand(member))).toEqual({
      type: 'hand.lowered',
      participantId: member.id,
      roomId: plenary.id,
      byMediator: false,
    });
  });

  it.each<[ParticipantRole, string]>([
    ['lead_mediator', 'allow'],
    ['co_mediator', 'allow'],
    ['party_member', 'MEDIATOR_ONLY'],
    ['observer', 'OBSERVER_READ_ONLY'],
    ['interpreter', 'MEDIATOR_ONLY'],
  ])("lets a %s lower someone else's hand: %s", (role, expected) => {
    const actor = aParticipant(role, { roomId: role === 'party_member' ? plenary.id : null });
    expect(codeOf(() => decideLower(actor, other, hand(other)))).toBe(expected);
  });

  it("names the mediator's act as such, in any room", () => {
    const mediator = aParticipant('co_mediator', { roomId: null });
    const inCaucus: Hand = { participantId: other.id, roomId: caucusA.id, raisedAt: now };
    expect(decideLower(mediator, other, inCaucus)).toMatchObject({ roomId: caucusA.id, byMediator: true });
  });

  it('changes nothing when no hand is up', () => {
    expect(decideLower(member, member, null)).toBeNull();
  });
});

describe('decideTimer', () => {
  const mediator = aParticipant('lead_mediator', { roomId: null });
  const base = { actor: mediator, room: caucusA, status: 'open' as SessionStatus, seconds: 120, purpose: 'speaking' as const, now };

  it('sets a clock on any room, ending after the given seconds, from anywhere', () => {
    expect(decideTimer(base)).toEqual({
      type: 'timer.set',
      timer: {
        roomId: caucusA.id,
        purpose: 'speaking',
        label: null,
        durationSeconds: 120,
        startedAt: now,
        endsAt: new Date(now.getTime() + 120_000),
        setBy: mediator.id,
      },
    });
  });

  it.each<[ParticipantRole, string]>([
    ['lead_mediator', 'allow'],
    ['co_mediator', 'allow'],
    ['party_member', 'MEDIATOR_ONLY'],
    ['observer', 'MEDIATOR_ONLY'],
    ['interpreter', 'MEDIATOR_ONLY'],
  ])('a %s: %s', (role, expected) => {
    expect(codeOf(() => decideTimer({ ...base, actor: aParticipant(role, { roomId: plenary.id }) }))).toBe(expected);
    expect(codeOf(() => decideClearTimer(aParticipant(role), plenary, 'open', null))).toBe(expected);
  });

  it.each([
    [0, 'seconds'],
    [-1, 'seconds'],
    [1.5, 'seconds'],
    [TIMER_MAX_SECONDS + 1, 'seconds'],
    [Number.NaN, 'seconds'],
  ])('refuses %p seconds', (seconds, field) => {
    let caught: { code?: string; field?: string } = {};
    try {
      decideTimer({ ...base, seconds });
    } catch (e) {
      caught = e as typeof caught;
    }
    expect(caught).toMatchObject({ code: 'VALIDATION_FAILED', field });
  });

  it('accepts the bounds, 1 s and 24 h', () => {
    expect(codeOf(() => decideTimer({ ...base, seconds: 1 }))).toBe('allow');
    expect(codeOf(() => decideTimer({ ...base, seconds: TIMER_MAX_SECONDS }))).toBe('allow');
  });

  it('refuses an unknown, another session’s (null) or a closed room', () => {
    expect(codeOf(() => decideTimer({ ...base, room: null }))).toBe('ROOM_NOT_FOUND');
    expect(codeOf(() => decideTimer({ ...base, room: { ...caucusA, closed: true } }))).toBe('ROOM_CLOSED');
  });

  it('refuses an unknown purpose and a closed session', () => {
    expect(codeOf(() => decideTimer({ ...base, purpose: 'lunch' as never }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => decideTimer({ ...base, status: 'closed' }))).toBe('SESSION_CLOSED');
    expect(codeOf(() => decideTimer({ ...base, status: 'suspended' }))).toBe('allow');
  });

  it('clears a running clock, and changes nothing without one', () => {
    const set = decideTimer(base);
    const timer = set.type === 'timer.set' ? set.timer : null;
    expect(decideClearTimer(mediator, caucusA, 'open', timer)).toEqual({ type: 'timer.cleared', roomId: caucusA.id });
    expect(decideClearTimer(mediator, caucusA, 'open', null)).toBeNull();
  });
});

describe('timerLabel', () => {
  it('stores NFC, trimmed, and empty as none', () => {
    expect(timerLabel('  Cafe\u0301  ')).toBe('Café');
    expect(timerLabel('   ')).toBeNull();
    expect(timerLabel(undefined)).toBeNull();
  });
  it(`takes ${TIMER_LABEL_MAX} characters and not one more`, () => {
    expect(timerLabel('x'.repeat(TIMER_LABEL_MAX))).toHaveLength(TIMER_LABEL_MAX);
    expect(codeOf(() => timerLabel('x'.repeat(TIMER_LABEL_MAX + 1)))).toBe('VALIDATION_FAILED');
  });
  it('refuses what names refuse: direction overrides, controls', () => {
    expect(codeOf(() => timerLabel('North\u202E'))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => timerLabel('a\u0000b'))).toBe('VALIDATION_FAILED');
    expect(timerLabel('بيان الشمال الافتتاحي')).toBe('بيان الشمال الافتتاحي');
  });
});

describe('queueOf', () => {
  it('orders one room’s hands by when they went up', () => {
    const hands: Hand[] = [
      { participantId: 'c', roomId: plenary.id, raisedAt: new Date(3000) },
      { participantId: 'a', roomId: plenary.id, raisedAt: new Date(1000) },
      { participantId: 'x', roomId: caucusA.id, raisedAt: new Date(0) },
      { participantId: 'b', roomId: plenary.id, raisedAt: new Date(1000) },
    ];
    expect(queueOf(hands, plenary.id).map((h) => h.participantId)).toEqual(['a', 'b', 'c']);
  });
});

describe('staleHands', () => {
  const stay = aParticipant('party_member', { partyId: 'A', roomId: plenary.id });
  const moved = aParticipant('party_member', { partyId: 'A', roomId: caucusA.id });
  const lobby = aParticipant('party_member', { partyId: 'A', roomId: null });
  const nowObserver = aParticipant('observer', { roomId: plenary.id });
  const up = (id: string): Hand => ({ participantId: id, roomId: plenary.id, raisedAt: now });

  it('drops the hands of those who left the room, left the session or may no longer hold one', () => {
    const hands = [stay, moved, lobby, nowObserver].map((p) => up(p.id)).concat(up('gone'));
    const sut = staleHands(hands, [stay, moved, lobby, nowObserver]);
    expect(sut.map((h) => h.participantId)).toEqual([moved.id, lobby.id, nowObserver.id, 'gone']);
  });
});

describe('who sees a floor', () => {
  const rooms = [plenary, caucusA, { ...aRoom('joint'), closed: true }];
  it('mediators every open room, wherever they are; others only their own room', () => {
    expect(floorRoomsVisibleTo(aParticipant('co_mediator', { roomId: null }), rooms)).toEqual([plenary, caucusA]);
    expect(floorRoomsVisibleTo(aParticipant('observer', { roomId: plenary.id }), rooms)).toEqual([plenary]);
    expect(floorRoomsVisibleTo(aParticipant('party_member', { roomId: null }), rooms)).toEqual([]);
    expect(maySeeFloor(aParticipant('party_member', { partyId: 'B', roomId: plenary.id }), caucusA)).toBe(false);
  });
});
