import type { ParticipantView, RoomView } from '@parley/contracts';
import type { Room } from '../domain';
import type { ParticipantEntity, RoomEntity } from '../infrastructure/persistence';

export const toParticipantView = (p: ParticipantEntity): ParticipantView => ({
  id: p.id,
  userId: p.userId,
  displayName: p.displayName,
  role: p.role,
  partyId: p.partyId,
  isHead: p.isHead,
});

export const toRoomView = (r: Room & { entity: RoomEntity }): RoomView => ({
  id: r.id,
  kind: r.kind,
  name: r.entity.name,
  partyId: r.partyId,
  memberIds: [...r.memberIds],
});
