import { Injectable } from '@nestjs/common';
import type { InvitableRole, ParticipantView } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { DomainError, UnitOfWork } from '@parley/platform';
import { assertMayChangeRole, mustLeaveAfterRoleChange } from '../domain';
import { MembershipFanoutGuard } from './membership-fanout.guard';
import { PlacementStore } from './placement-store';
import { socketPlacementOf } from './realtime-channel';
import { RoomNotifier } from './room-notifier';
import { SessionRoster } from './session-roster';
import { toParticipantView } from './views';

export interface ChangeRoleCommand {
  userId: string;
  sessionId: string;
  participantId: string;
  role: InvitableRole;
  partyId?: string;
  isHead?: boolean;
}

/**
 * A new role takes effect at once: if it no longer allows the participant's room they return to
 * the lobby, and their sockets are re-derived (a former mediator stops receiving the overview).
 * A participant who stops being a party member is struck from joint rooms.
 */
@Injectable()
export class ChangeRoleUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly roster: SessionRoster,
    private readonly placements: PlacementStore,
    private readonly audit: AuditTrail,
    private readonly notifier: RoomNotifier,
    private readonly fanout: MembershipFanoutGuard,
  ) {}

  async execute(cmd: ChangeRoleCommand): Promise<ParticipantView> {
    this.fanout.assertAvailable();
    const { updated, leftRoomId } = await this.uow.transaction(async (tx) => {
      const { session, actor } = await this.roster.actor(tx, cmd.sessionId, cmd.userId, true);
      const target = await this.roster.participant(tx, session.id, cmd.participantId);
      assertMayChangeRole(actor, target, cmd.role, session.status);
      const isHead = cmd.role === 'party_member' ? (cmd.isHead ?? false) : false;
      const partyId = cmd.role === 'party_member' ? (cmd.partyId ?? null) : null;
      if (cmd.role === 'party_member') {
        if (!partyId) throw new DomainError('VALIDATION_FAILED', 'A party member belongs to a party.', 'partyId');
        if (!(await this.roster.hasParty(tx, session.id, partyId))) {
          throw new DomainError('PARTY_NOT_FOUND', 'No such party in this session.', 'partyId');
        }
        const head = isHead ? await this.roster.headOf(tx, partyId) : null;
        if (head && head !== target.id)
          throw new DomainError('PARTY_HEAD_EXISTS', 'This party already has a head of delegation.', 'isHead');
      } else if (cmd.partyId || cmd.isHead) {
        throw new DomainError(
          'VALIDATION_FAILED',
          'Only a party member has a party or leads a delegation.',
          cmd.partyId ? 'partyId' : 'isHead',
        );
      }
      const next = { ...target, role: cmd.role, partyId, isHead };
      const room = target.roomId ? await this.roster.room(tx, session.id, target.roomId) : null;
      const leave = mustLeaveAfterRoleChange(next, room);
      const roomId = leave ? null : target.roomId;
      await this.placements.setRole(tx, target.id, { role: cmd.role, partyId, isHead, roomId });
      if (cmd.role !== 'party_member') await this.placements.leaveJointRooms(tx, target.id);
      const by = { actorUserId: cmd.userId, actorParticipantId: actor.id };
      await this.audit.append(tx, session.id, [
        {
          ...by,
          type: 'participant.role_changed',
          payload: {
            participantId: target.id,
            from: { role: target.role, partyId: target.partyId, isHead: target.isHead },
            to: { role: cmd.role, partyId, isHead },
          },
        },
        ...(leave
          ? [
              {
                ...by,
                type: 'participant.sent_to_lobby',
                payload: { participantId: target.id, fromRoomId: target.roomId, reason: 'role_changed' },
              },
            ]
          : []),
      ]);
      const updated = await this.roster.participant(tx, session.id, target.id);
      return { updated, leftRoomId: leave ? target.roomId : null };
    });

    await this.notifier.syncParticipant(cmd.sessionId, socketPlacementOf(updated));
    if (leftRoomId)
      this.notifier.locationChanged({ sessionId: cmd.sessionId, participantId: updated.id, room: null, reason: 'role_changed' });
    await this.notifier.presenceChanged(cmd.sessionId, [leftRoomId, updated.roomId]);
    return toParticipantView(updated);
  }
}
