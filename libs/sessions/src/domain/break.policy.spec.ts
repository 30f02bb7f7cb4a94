import { SESSION_STATUSES, type ParticipantRole } from '@parley/contracts';
import { aParticipant, aRoom, codeOf } from './testing.factories';
import {
  breakOnStatus,
  checkStatusOptions,
  seatsOnResume,
  seatsToRemember,
  toBreakView,
  NO_BREAK,
  type RememberedSeat,
} from './break.policy';
import type { LocatedParticipant, Room } from './model';

describe('checkStatusOptions', () => {
  it.each([
    // status, options, expected code, expected field
    ['suspended', {}, 'allow', undefined],
    ['suspended', { reason: 'Lunch', minutes: 45 }, 'allow', undefined],
    ['suspended', { minutes: 1 }, 'allow', undefined],
    ['suspended', { minutes: 480 }, 'allow', undefined],
    ['suspended', { minutes: 0 }, 'VALIDATION_FAILED', 'minutes'],
    ['suspended', { minutes: 481 }, 'VALIDATION_FAILED', 'minutes'],
    ['suspended', { minutes: 2.5 }, 'VALIDATION_FAILED', 'minutes'],
    ['suspended', { minutes: -3 }, 'VALIDATION_FAILED', 'minutes'],
    ['suspended', { reason: 'x'.repeat(200) }, 'allow', undefined],
    ['suspended', { reason: `  ${'x'.repeat(200)}  ` }, 'allow', undefined],
    ['suspended', { reason: 'x'.repeat(201) }, 'VALIDATION_FAILED', 'reason'],
    ['suspended', { restoreSeats: false }, 'VALIDATION_FAILED', 'restoreSeats'],
    ['open', { restoreSeats: false }, 'allow', undefined],
    ['open', { restoreSeats: true }, 'allow', undefined],
    ['open', { reason: 'Back' }, 'VALIDATION_FAILED', 'reason'],
    ['open', { reason: '   ' }, 'allow', undefined],
    ['open', { minutes: 10 }, 'VALIDATION_FAILED', 'minutes'],
    ['closed', { reason: 'Done' }, 'VALIDATION_FAILED', 'reason'],
    ['closed', { minutes: 5 }, 'VALIDATION_FAILED', 'minutes'],
    ['closed', { restoreSeats: true }, 'VALIDATION_FAILED', 'restoreSeats'],
    ['draft', { minutes: 5 }, 'VALIDATION_FAILED', 'minutes'],
  ] as const)('%s with %j: %s', (status, options, code, field) => {
    expect(codeOf(() => checkStatusOptions(status, options))).toBe(code);
    if (field) expect(() => checkStatusOptions(status, options)).toThrow(expect.objectContaining({ field }));
  });

  it('trims the reason and takes an empty one for none; seats are restored unless told otherwise', () => {
    expect(checkStatusOptions('suspended', { reason: '  Lunch  ' })).toEqual({ reason: 'Lunch', minutes: null, restoreSeats: true });
    expect(checkStatusOptions('suspended', { reason: '   ', minutes: null })).toEqual({ reason: null, minutes: null, restoreSeats: true });
    expect(checkStatusOptions('open', { restoreSeats: false }).restoreSeats).toBe(false);
    expect(checkStatusOptions('open', { restoreSeats: null }).restoreSeats).toBe(true);
  });
});

describe('the break', () => {
  const now = new Date('2026-12-01T10:00:00.000Z');

  it('starts on suspension, ending after the announced minutes', () => {
    const sut = breakOnStatus('suspended', checkStatusOptions('suspended', { reason: 'Lunch', minutes: 45 }), now);
    expect(toBreakView('suspended', sut)).toEqual({
      reason: 'Lunch',
      startedAt: '2026-12-01T10:00:00.000Z',
      endsAt: '2026-12-01T10:45:00.000Z',
    });
  });

  it('has no end when no length was given', () => {
    const sut = breakOnStatus('suspended', checkStatusOptions('suspended', {}), now);
    expect(toBreakView('suspended', sut)).toEqual({ reason: null, startedAt: now.toISOString(), endsAt: null });
  });

  it.each(SESSION_STATUSES.filter((s) => s !== 'suspended'))('is over once the session is %s', (status) => {
    expect(breakOnStatus(status, checkStatusOptions(status, {}), now)).toEqual(NO_BREAK);
    // A stale stored break is never shown outside a suspension.
    expect(toBreakView(status, { reason: 'old', startedAt: now, endsAt: null })).toBeNull();
  });
});

describe('seatsToRemember', () => {
  it('remembers the room and the role of each non-mediator the suspension sends out', () => {
    const member = aParticipant('party_member', { partyId: 'A', roomId: 'caucus-A' });
    const observer = aParticipant('observer', { roomId: 'plenary' });
    const mediator = aParticipant('co_mediator', { roomId: 'mediator-room' });
    const waiting = aParticipant('party_member', { roomId: null });
    expect(seatsToRemember([member, observer, mediator, waiting])).toEqual([
      { participantId: member.id, roomId: 'caucus-A', role: 'party_member', partyId: 'A' },
      { participantId: observer.id, roomId: 'plenary', role: 'observer', partyId: null },
    ]);
  });
});

describe('seatsOnResume', () => {
  const plenary = aRoom('plenary', { id: 'plenary' });
  const caucusA = aRoom('caucus', { id: 'caucus-A', partyId: 'A' });
  const mediatorRoom = aRoom('mediator', { id: 'mediator-room' });

  type Row = {
    name: string;
    /** Where they sat and as whom when the break began (null: no remembered seat). */
    then: { role: ParticipantRole; partyId: string | null; roomId: string } | null;
    /** As they are at resumption. */
    now: Partial<LocatedParticipant> & { role: ParticipantRole };
    /** The rooms as they are at resumption (besides plenary, caucus A and the mediator room). */
    rooms?: Room[];
    restoreSeats?: boolean;
    /** The room they sit in again, or why they stay in the lobby (a SeatKeptInLobby), or 'not_mentioned'. */
    expected: string;
  };

  const member = (partyId = 'A') => ({ role: 'party_member' as const, partyId });
  const table: Row[] = [
    { name: 'a member back in their caucus', then: { ...member(), roomId: 'caucus-A' }, now: member(), expected: 'caucus-A' },
    { name: 'a member back in the plenary', then: { ...member(), roomId: 'plenary' }, now: member(), expected: 'plenary' },
    {
      name: 'an observer back in the plenary',
      then: { role: 'observer', partyId: null, roomId: 'plenary' },
      now: { role: 'observer' },
      expected: 'plenary',
    },
    {
      name: 'a member back in an open joint room that names them',
      then: { ...member(), roomId: 'joint' },
      now: { ...member(), id: 'p-joint' },
      rooms: [aRoom('joint', { id: 'joint', memberIds: ['p-joint'] })],
      expected: 'joint',
    },
    {
      name: 'a joint room closed during the break',
      then: { ...member(), roomId: 'joint' },
      now: { ...member(), id: 'p-joint' },
      rooms: [aRoom('joint', { id: 'joint', memberIds: ['p-joint'], closed: true })],
      expected: 'room_gone',
    },
    { name: 'a room that no longer exists', then: { ...member(), roomId: 'deleted' }, now: member(), expected: 'room_gone' },
    {
      name: 'a member struck from the joint room',
      then: { ...member(), roomId: 'joint' },
      now: { ...member(), id: 'p-struck' },
      rooms: [aRoom('joint', { id: 'joint', memberIds: ['someone-else'] })],
      expected: 'entry_denied',
    },
    { name: 'a member moved to another party', then: { ...member('A'), roomId: 'plenary' }, now: member('B'), expected: 'role_changed' },
    { name: 'a member made observer', then: { ...member(), roomId: 'plenary' }, now: { role: 'observer' }, expected: 'role_changed' },
    {
      name: 'an observer made co-mediator (and seated)',
      then: { role: 'observer', partyId: null, roomId: 'plenary' },
      now: { role: 'co_mediator', roomId: 'mediator-room' },
      expected: 'role_changed',
    },
    {
      name: 'someone seated again during the break',
      then: { role: 'observer', partyId: null, roomId: 'plenary' },
      now: { role: 'observer', roomId: 'plenary' },
      expected: 'already_seated',
    },
    {
      name: 'a mediator who chose lobby',
      then: { ...member(), roomId: 'caucus-A' },
      now: member(),
      restoreSeats: false,
      expected: 'not_restoring',
    },
    { name: 'a newcomer (arrived during the break)', then: null, now: member(), expected: 'not_mentioned' },
    { name: 'someone already waiting when the break began', then: null, now: { role: 'observer' }, expected: 'not_mentioned' },
  ];

  it.each(table)('$name → $expected', (row) => {
    const p = aParticipant(row.now.role, { partyId: null, roomId: null, ...row.now });
    const seats: RememberedSeat[] = row.then ? [{ participantId: p.id, ...row.then }] : [];
    const sut = seatsOnResume({
      participants: [p],
      seats,
      rooms: [plenary, caucusA, mediatorRoom, ...(row.rooms ?? [])],
      restoreSeats: row.restoreSeats ?? true,
    });
    const restored = sut.restored.find((r) => r.participantId === p.id)?.roomId;
    const kept = sut.keptInLobby.find((k) => k.participantId === p.id)?.reason;
    expect(restored ?? kept ?? 'not_mentioned').toBe(row.expected);
    // Never both.
    expect(Boolean(restored) && Boolean(kept)).toBe(false);
  });

  it('restores everyone at once and ignores a seat whose participant left the session', () => {
    const a = aParticipant('party_member', { partyId: 'A' });
    const o = aParticipant('observer');
    const sut = seatsOnResume({
      participants: [a, o],
      seats: [
        { participantId: a.id, roomId: 'caucus-A', role: 'party_member', partyId: 'A' },
        { participantId: o.id, roomId: 'plenary', role: 'observer', partyId: null },
        { participantId: 'gone', roomId: 'plenary', role: 'observer', partyId: null },
      ],
      rooms: [plenary, caucusA],
      restoreSeats: true,
    });
    expect(sut).toEqual({
      restored: [
        { participantId: a.id, roomId: 'caucus-A' },
        { participantId: o.id, roomId: 'plenary' },
      ],
      keptInLobby: [],
    });
  });
});
