import type { ParticipantView, RoomView } from '@parley/contracts';
import type { SeatedParticipant } from './session-directory';
import type { RoomRecord } from './session-roster';

export const toParticipantView = (p: SeatedParticipant): ParticipantView => ({
  id: p.id,
  userId: p.userId,
  displayName: p.displayName,
  role: p.role,
  // An interpreter's party is the one that brought them (the contract's partyId): never a delegation seat.
  partyId: p.partyId ?? p.broughtByPartyId ?? null,
  isHead: p.isHead,
  languages: p.role === 'interpreter' ? (p.languages ?? null) : null,
});

export const toRoomView = (r: RoomRecord): RoomView => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  partyId: r.partyId,
  memberIds: [...r.memberIds],
});
