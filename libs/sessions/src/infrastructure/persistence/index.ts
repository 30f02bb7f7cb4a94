import { BreakSeatEntity } from './break-seat.entity';
import { RaisedHandEntity, RoomTimerEntity } from './floor.entity';
import { InvitationEntity } from './invitation.entity';
import { MediationSessionEntity } from './mediation-session.entity';
import { ParticipantEntity } from './participant.entity';
import { PartyEntity } from './party.entity';
import { RoomEntity, RoomMemberEntity } from './room.entity';

export { RaisedHandEntity, RoomTimerEntity };
export { BreakSeatEntity, InvitationEntity, MediationSessionEntity, ParticipantEntity, PartyEntity, RoomEntity, RoomMemberEntity };
export const SESSIONS_ENTITIES = [
  MediationSessionEntity,
  PartyEntity,
  RoomEntity,
  RoomMemberEntity,
  ParticipantEntity,
  InvitationEntity,
  BreakSeatEntity,
  RaisedHandEntity,
  RoomTimerEntity,
];
