import { DomainError } from '@parley/platform/domain';
import type { SessionStatus } from '@parley/contracts';
import { isMediator, type LocatedParticipant, type Participant, type Room } from './model';
import { assertMayEnter, mayEnter } from './membership.policy';
import { assertStatusAllows } from './lifecycle.policy';

export type PlacementKind = 'admit' | 'move' | 'send_to_lobby';

export interface PlacementCommand {
  kind: PlacementKind;
  actor: Participant;
  target: LocatedParticipant;
  /** The destination; null when sending to the lobby. */
  room: Room | null;
  status: SessionStatus;
}

export type PlacementEventType = 'participant.admitted' | 'participant.moved' | 'participant.sent_to_lobby';

export interface PlacementDecision {
  type: PlacementEventType;
  participantId: string;
  fromRoomId: string | null;
  toRoomId: string | null;
}

/**
 * Who may put whom where. Only mediators place people — including themselves, so a mediator is
 * never locked out; a party member or observer never chooses a room. Admission takes someone
 * from the lobby; a move takes them from anywhere; sending back empties their seat.
 */
export function decidePlacement(cmd: PlacementCommand): PlacementDecision {
  const { kind, actor, target, room, status } = cmd;
  if (!isMediator(actor)) {
    throw new DomainError('MOVE_FORBIDDEN', 'Only a mediator may move participants between rooms.');
  }
  assertStatusAllows(status, 'connect');

  if (kind === 'send_to_lobby') {
    if (target.roomId === null) throw new DomainError('ALREADY_IN_LOBBY', 'The participant is already in the lobby.', 'participantId');
    return { type: 'participant.sent_to_lobby', participantId: target.id, fromRoomId: target.roomId, toRoomId: null };
  }

  if (!room) throw new DomainError('ROOM_NOT_FOUND', 'No such room in this session.', 'roomId');
  if (kind === 'admit' && target.roomId !== null) {
    throw new DomainError('NOT_IN_LOBBY', 'Only a participant waiting in the lobby can be admitted.', 'participantId');
  }
  if (!isMediator(target)) assertStatusAllows(status, 'seatParties');
  if (room.closed) throw new DomainError('ROOM_CLOSED', 'This room is closed.', 'roomId');
  assertMayEnter(target, room);

  return {
    type: target.roomId === null ? 'participant.admitted' : 'participant.moved',
    participantId: target.id,
    fromRoomId: target.roomId,
    toRoomId: room.id,
  };
}

/**
 * Everyone who must leave their room when the session's status changes: on suspension every
 * non-mediator returns to the lobby; on closing, everyone does.
 */
export function relocationsOnStatus(to: SessionStatus, participants: readonly LocatedParticipant[]): LocatedParticipant[] {
  if (to === 'suspended') return participants.filter((p) => p.roomId !== null && !isMediator(p));
  if (to === 'closed') return participants.filter((p) => p.roomId !== null);
  return [];
}

/**
 * After a role change: the participant keeps their room only if the new role may be there.
 */
export function mustLeaveAfterRoleChange(updated: Participant, room: Room | null): boolean {
  return room !== null && !mayEnter(updated, room);
}
