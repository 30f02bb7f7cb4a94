import type { ParticipantRole, SessionStatus } from '@parley/contracts';
import { DomainError } from '@parley/platform/domain';
import { decideDeparture } from './departure.policy';
import type { LocatedParticipant } from './model';

const ROLES: ParticipantRole[] = ['lead_mediator', 'co_mediator', 'party_member', 'observer', 'interpreter'];
const STATUSES: SessionStatus[] = ['draft', 'open', 'suspended', 'closed'];
const seat = (role: ParticipantRole, roomId: string | null): LocatedParticipant => ({
  id: 'p1',
  role,
  partyId: role === 'party_member' ? 'party-1' : null,
  isHead: false,
  roomId,
});

describe('decideDeparture (an account deleted leaves its seats)', () => {
  const cases = ROLES.flatMap((role) => STATUSES.flatMap((status) => [null, 'room-1'].map((roomId) => ({ role, status, roomId }))));

  it.each(cases)('$role in a $status session, seated in $roomId', ({ role, status, roomId }) => {
    const sut = () => decideDeparture(seat(role, roomId), status);
    if (status === 'closed') return expect(sut()).toBeNull();
    if (role === 'lead_mediator') {
      expect(sut).toThrow(DomainError);
      return expect(sut).toThrow(expect.objectContaining({ code: 'ACCOUNT_LEADS_OPEN_SESSIONS' }) as Error);
    }
    expect(sut()).toEqual({ type: 'participant.left', participantId: 'p1', fromRoomId: roomId });
  });
});
