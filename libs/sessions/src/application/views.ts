import type { ParticipantView, RoomView } from '@parley/contracts';
import type { SeatedParticipant } from './session-directory';
import type { RoomRecord } from './session-roster';

export const toParticipantView = (p: SeatedParticipant): ParticipantView => ({
  id: p.id,
  userId: p.userId,
  displayName: p.displayName,
  role: p.role,
  partyId: p.partyId,
  isHead: p.isHead,
});

export const toRoomView = (r: RoomRecord): RoomView => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  partyId: r.partyId,
  memberIds: [...r.memberIds],
});
