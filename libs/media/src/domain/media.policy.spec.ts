import {
  PARTICIPANT_ROLES,
  ROOM_KINDS,
  SESSION_STATUSES,
  type ParticipantRole,
  type RoomKind,
  type SessionStatus,
} from '@parley/contracts';
import { aParticipant, aRoom, codeOf } from '@parley/sessions/domain/testing.factories';
import { mayEnter } from '@parley/sessions/domain';
import { assertMayHaveMedia, effectiveKinds, mayPublish, mediaToTearDown, type MediaAction } from './media.policy';

/**
 * Media follows membership: generated over role × room kind × where the participant is × session
 * status × action, and compared with what the rules of the spine say.
 */
const WHERE = ['in this room', 'elsewhere', 'in the lobby'] as const;
const ACTIONS: MediaAction[] = ['receive', 'publish'];

function expected(
  role: ParticipantRole,
  kind: RoomKind,
  where: (typeof WHERE)[number],
  status: SessionStatus,
  action: MediaAction,
): string {
  if (status === 'closed') return 'SESSION_CLOSED';
  const p = aParticipant(role, { partyId: role === 'party_member' ? 'party-A' : null });
  const room = aRoom(kind, { partyId: kind === 'caucus' ? 'party-A' : null, memberIds: [p.id] });
  if (!mayEnter(p, room)) return 'denied by membership';
  if (where !== 'in this room') return 'NOT_IN_ROOM';
  if (action === 'publish' && role === 'observer') return 'OBSERVER_READ_ONLY';
  return 'allow';
}

describe('media follows membership', () => {
  const cases = PARTICIPANT_ROLES.flatMap((role) =>
    ROOM_KINDS.flatMap((kind) =>
      WHERE.flatMap((where) => SESSION_STATUSES.flatMap((status) => ACTIONS.map((action) => [role, kind, where, status, action] as const))),
    ),
  );

  it.each(cases)('%s, %s room, %s, session %s: %s', (role, kind, where, status, action) => {
    const sut = aParticipant(role, { partyId: role === 'party_member' ? 'party-A' : null });
    const room = aRoom(kind, { partyId: kind === 'caucus' ? 'party-A' : null, memberIds: [sut.id] });
    const located = { ...sut, roomId: where === 'in this room' ? room.id : where === 'elsewhere' ? 'another-room' : null };
    const want = expected(role, kind, where, status, action);
    const got = codeOf(() => assertMayHaveMedia(located, room, status, action));
    if (want === 'denied by membership')
      expect(['CAUCUS_FORBIDDEN', 'MEDIATOR_ROOM_FORBIDDEN', 'JOINT_ROOM_FORBIDDEN', 'OBSERVER_PLENARY_ONLY']).toContain(got);
    else expect(got).toBe(want);
    expect(mayPublish(located, room, status)).toBe(codeOf(() => assertMayHaveMedia(located, room, status, 'publish')) === 'allow');
  });

  it("refuses a party member in another party's caucus even if the stored location says so", () => {
    const room = aRoom('caucus', { partyId: 'party-B' });
    const sut = aParticipant('party_member', { partyId: 'party-A', roomId: room.id });
    expect(codeOf(() => assertMayHaveMedia(sut, room, 'open', 'receive'))).toBe('CAUCUS_FORBIDDEN');
  });

  it('refuses a closed room', () => {
    const room = aRoom('joint', { closed: true });
    const sut = aParticipant('lead_mediator', { roomId: room.id });
    expect(codeOf(() => assertMayHaveMedia(sut, room, 'open', 'receive'))).toBe('ROOM_CLOSED');
  });
});

describe('low bandwidth', () => {
  it.each([
    [false, false, ['audio', 'video', 'screen']],
    [true, false, ['audio']],
    [false, true, ['audio']],
    [true, true, ['audio']],
  ] as const)('participant audio-only %s, room audio-only %s → %j', (participant, room, kinds) => {
    expect(effectiveKinds(['audio', 'video', 'screen', 'video'], { participant, room })).toEqual(kinds);
  });
});

describe('one teardown rule: a move cuts everything, a change cuts what may no longer be had', () => {
  const publishing = { roomId: 'a', mayPublish: true };
  const receiving = { roomId: 'a', mayPublish: false };
  const stays = { roomId: 'a', mayReceive: true, mayPublish: true };

  it.each([
    ['a move to another room', publishing, { ...stays, roomId: 'b' }, { roomId: 'a', reason: 'moved' }],
    [
      'a move to another room, receive-only',
      receiving,
      { roomId: 'b', mayReceive: true, mayPublish: false },
      { roomId: 'a', reason: 'moved' },
    ],
    ['a return to the lobby', publishing, { roomId: null, mayReceive: false, mayPublish: false }, { roomId: 'a', reason: 'moved' }],
    ['made an observer in the same room', publishing, { ...stays, mayPublish: false }, { roomId: 'a', reason: 'role_changed' }],
    [
      'no longer allowed in the room, same room',
      receiving,
      { ...stays, mayReceive: false, mayPublish: false },
      { roomId: 'a', reason: 'role_changed' },
    ],
    ['an observer made a party member: only gains', receiving, stays, null],
    ['co-mediator made lead: nothing the seat carries changes', publishing, stays, null],
    ['an observer stays an observer', receiving, { ...stays, mayPublish: false }, null],
  ] as const)('%s', (_, seat, now, cut) => {
    expect(mediaToTearDown(seat, now)).toEqual(cut);
  });
});
