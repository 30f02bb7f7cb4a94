import { Injectable } from '@nestjs/common';
import { managerOf, type Tx } from '@parley/platform';
import { InvitationStore, type Invitation, type NewInvitation } from '../../application/invitation-store';
import { InvitationEntity } from './invitation.entity';

const toInvitation = (i: InvitationEntity): Invitation => ({
  id: i.id,
  sessionId: i.sessionId,
  displayName: i.displayName,
  role: i.role,
  partyId: i.partyId,
  isHead: i.isHead,
  languages: i.languages,
  email: i.email,
  createdByParticipantId: i.createdByParticipantId,
  expiresAt: i.expiresAt,
  acceptedAt: i.acceptedAt,
  acceptedByUserId: i.acceptedByUserId,
  revokedAt: i.revokedAt,
  createdAt: i.createdAt,
});

@Injectable()
export class TypeOrmInvitationStore extends InvitationStore {
  count(tx: Tx, sessionId: string): Promise<number> {
    return managerOf(tx).getRepository(InvitationEntity).count({ where: { sessionId } });
  }

  async insert(tx: Tx, invitation: NewInvitation): Promise<void> {
    const repo = managerOf(tx).getRepository(InvitationEntity);
    await repo.insert(repo.create({ ...invitation, acceptedAt: null, acceptedByUserId: null, revokedAt: null }));
  }

  async list(tx: Tx, sessionId: string): Promise<Invitation[]> {
    const rows = await managerOf(tx)
      .getRepository(InvitationEntity)
      .find({ where: { sessionId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(toInvitation);
  }

  async owned(tx: Tx, sessionId: string, invitationId: string): Promise<Invitation | null> {
    const row = await managerOf(tx)
      .getRepository(InvitationEntity)
      .findOne({ where: { id: invitationId, sessionId } });
    return row ? toInvitation(row) : null;
  }

  async byTokenHash(tx: Tx, tokenHash: string, lock: boolean): Promise<Invitation | null> {
    const row = await managerOf(tx)
      .getRepository(InvitationEntity)
      .findOne({
        where: { tokenHash },
        ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
      });
    return row ? toInvitation(row) : null;
  }

  async markRevoked(tx: Tx, invitationId: string): Promise<void> {
    await managerOf(tx).getRepository(InvitationEntity).update({ id: invitationId }, { revokedAt: new Date() });
  }

  async markAccepted(tx: Tx, invitationId: string, userId: string): Promise<void> {
    await managerOf(tx).getRepository(InvitationEntity).update({ id: invitationId }, { acceptedAt: new Date(), acceptedByUserId: userId });
  }
}
