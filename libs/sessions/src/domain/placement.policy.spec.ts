import { aParticipant, codeOf, aRoom } from './testing.factories';
import { decidePlacement, mustLeaveAfterRoleChange, relocationsOnStatus } from './placement.policy';

describe('decidePlacement', () => {
  const mediator = aParticipant('lead_mediator');
  const member = aParticipant('party_member', { partyId: 'A' });
  const plenary = aRoom('plenary');
  const caucusA = aRoom('caucus', { partyId: 'A' });

  it('admits someone waiting in the lobby', () => {
    const sut = decidePlacement({ kind: 'admit', actor: mediator, target: member, room: plenary, status: 'open' });
    expect(sut).toEqual({ type: 'participant.admitted', participantId: member.id, fromRoomId: null, toRoomId: plenary.id });
  });

  it('refuses to admit someone already seated', () => {
    expect(
      codeOf(() =>
        decidePlacement({ kind: 'admit', actor: mediator, target: { ...member, roomId: plenary.id }, room: caucusA, status: 'open' }),
      ),
    ).toBe('NOT_IN_LOBBY');
  });

  it('moves from room to room and records where from', () => {
    const sut = decidePlacement({
      kind: 'move',
      actor: mediator,
      target: { ...member, roomId: plenary.id },
      room: caucusA,
      status: 'open',
    });
    expect(sut).toMatchObject({ type: 'participant.moved', fromRoomId: plenary.id, toRoomId: caucusA.id });
  });

  it('treats a move out of the lobby as an admission', () => {
    expect(decidePlacement({ kind: 'move', actor: mediator, target: member, room: caucusA, status: 'open' }).type).toBe(
      'participant.admitted',
    );
  });

  it('sends back to the lobby, but not someone already there', () => {
    expect(
      decidePlacement({ kind: 'send_to_lobby', actor: mediator, target: { ...member, roomId: plenary.id }, room: null, status: 'open' }),
    ).toMatchObject({ type: 'participant.sent_to_lobby', fromRoomId: plenary.id, toRoomId: null });
    expect(codeOf(() => decidePlacement({ kind: 'send_to_lobby', actor: mediator, target: member, room: null, status: 'open' }))).toBe(
      'ALREADY_IN_LOBBY',
    );
  });

  it('lets a mediator move themselves, and never a party member', () => {
    expect(
      codeOf(() =>
        decidePlacement({ kind: 'move', actor: mediator, target: { ...mediator, roomId: null }, room: caucusA, status: 'open' }),
      ),
    ).toBe('allow');
    expect(codeOf(() => decidePlacement({ kind: 'move', actor: member, target: member, room: caucusA, status: 'open' }))).toBe(
      'MOVE_FORBIDDEN',
    );
    expect(
      codeOf(() =>
        decidePlacement({ kind: 'send_to_lobby', actor: member, target: { ...member, roomId: plenary.id }, room: null, status: 'open' }),
      ),
    ).toBe('MOVE_FORBIDDEN');
  });

  it.each(['draft', 'suspended'] as const)('in a %s session seats mediators but not parties', (status) => {
    expect(codeOf(() => decidePlacement({ kind: 'admit', actor: mediator, target: member, room: plenary, status }))).toBe(
      'SESSION_NOT_OPEN',
    );
    expect(
      codeOf(() => decidePlacement({ kind: 'admit', actor: mediator, target: { ...mediator, roomId: null }, room: plenary, status })),
    ).toBe('allow');
    expect(
      codeOf(() =>
        decidePlacement({ kind: 'send_to_lobby', actor: mediator, target: { ...member, roomId: plenary.id }, room: null, status }),
      ),
    ).toBe('allow');
  });

  it('does nothing in a closed session', () => {
    expect(
      codeOf(() =>
        decidePlacement({ kind: 'admit', actor: mediator, target: { ...mediator, roomId: null }, room: plenary, status: 'closed' }),
      ),
    ).toBe('SESSION_CLOSED');
  });

  it('refuses a closed room and a missing room', () => {
    expect(
      codeOf(() => decidePlacement({ kind: 'admit', actor: mediator, target: member, room: { ...plenary, closed: true }, status: 'open' })),
    ).toBe('ROOM_CLOSED');
    expect(codeOf(() => decidePlacement({ kind: 'admit', actor: mediator, target: member, room: null, status: 'open' }))).toBe(
      'ROOM_NOT_FOUND',
    );
  });
});

describe('relocationsOnStatus', () => {
  const seated = [
    aParticipant('lead_mediator', { roomId: 'r1' }),
    aParticipant('party_member', { roomId: 'r1' }),
    aParticipant('observer', { roomId: 'r1' }),
    aParticipant('party_member', { roomId: null }),
  ];
  it('returns every seated non-mediator to the lobby on suspension', () => {
    expect(relocationsOnStatus('suspended', seated).map((p) => p.role)).toEqual(['party_member', 'observer']);
  });
  it('returns everyone seated on closing', () => {
    expect(relocationsOnStatus('closed', seated)).toHaveLength(3);
  });
  it('moves nobody on opening', () => {
    expect(relocationsOnStatus('open', seated)).toEqual([]);
  });
});

describe('mustLeaveAfterRoleChange', () => {
  it('sends a new observer out of a caucus but leaves them in the plenary', () => {
    const nowObserver = aParticipant('observer');
    expect(mustLeaveAfterRoleChange(nowObserver, aRoom('caucus', { partyId: 'A' }))).toBe(true);
    expect(mustLeaveAfterRoleChange(nowObserver, aRoom('plenary'))).toBe(false);
    expect(mustLeaveAfterRoleChange(nowObserver, null)).toBe(false);
  });
  it('sends a member who changed party out of the old caucus', () => {
    expect(mustLeaveAfterRoleChange(aParticipant('party_member', { partyId: 'B' }), aRoom('caucus', { partyId: 'A' }))).toBe(true);
  });
});
