import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { InvitableRole, ParticipantView } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { DomainError } from '@parley/platform';
import { assertMayChangeRole, mustLeaveAfterRoleChange } from '../domain';
import { ParticipantEntity, PartyEntity, RoomMemberEntity } from '../infrastructure/persistence';
import { MembershipFanoutGuard } from './membership-fanout.guard';
import { RoomNotifier } from './room-notifier';
import { loadActor, loadParticipant, loadRoom, syncTarget, toLocated } from './session-access';
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
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly notifier: RoomNotifier,
    private readonly fanout: MembershipFanoutGuard,
  ) {}

  async execute(cmd: ChangeRoleCommand): Promise<ParticipantView> {
    this.fanout.assertAvailable();
    const { updated, leftRoomId } = await this.dataSource.transaction(async (manager) => {
      const { session, actor } = await loadActor(manager, cmd.sessionId, cmd.userId, true);
      const target = await loadParticipant(manager, session.id, cmd.participantId);
      assertMayChangeRole(actor, target, cmd.role, session.status);
      const isHead = cmd.role === 'party_member' ? (cmd.isHead ?? false) : false;
      const partyId = cmd.role === 'party_member' ? (cmd.partyId ?? null) : null;
      if (cmd.role === 'party_member') {
        if (!partyId) throw new DomainError('VALIDATION_FAILED', 'A party member belongs to a party.', 'partyId');
        if (!(await manager.getRepository(PartyEntity).exists({ where: { id: partyId, sessionId: session.id } }))) {
          throw new DomainError('PARTY_NOT_FOUND', 'No such party in this session.', 'partyId');
        }
        const head = isHead ? await manager.getRepository(ParticipantEntity).findOneBy({ partyId, isHead: true }) : null;
        if (head && head.id !== target.id)
          throw new DomainError('PARTY_HEAD_EXISTS', 'This party already has a head of delegation.', 'isHead');
      } else if (cmd.partyId || cmd.isHead) {
        throw new DomainError(
          'VALIDATION_FAILED',
          'Only a party member has a party or leads a delegation.',
          cmd.partyId ? 'partyId' : 'isHead',
        );
      }
      const next = { ...toLocated(target), role: cmd.role, partyId, isHead };
      const room = target.roomId ? await loadRoom(manager, session.id, target.roomId) : null;
      const leave = mustLeaveAfterRoleChange(next, room);
      const roomId = leave ? null : target.roomId;
      await manager.getRepository(ParticipantEntity).update({ id: target.id }, { role: cmd.role, partyId, isHead, roomId });
      if (cmd.role !== 'party_member') await manager.getRepository(RoomMemberEntity).delete({ participantId: target.id });
      const by = { actorUserId: cmd.userId, actorParticipantId: actor.id };
      await this.audit.append(manager, session.id, [
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
      const updated = await manager.getRepository(ParticipantEntity).findOneByOrFail({ id: target.id });
      return { updated, leftRoomId: leave ? target.roomId : null };
    });

    await this.notifier.syncParticipant(cmd.sessionId, syncTarget(updated));
    if (leftRoomId)
      this.notifier.locationChanged({ sessionId: cmd.sessionId, participantId: updated.id, room: null, reason: 'role_changed' });
    await this.notifier.presenceChanged(cmd.sessionId, [leftRoomId, updated.roomId]);
    return toParticipantView(updated);
  }
}
