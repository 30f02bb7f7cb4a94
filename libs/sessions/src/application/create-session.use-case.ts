import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, Not } from 'typeorm';
import { AuditTrail, type AuditFact } from '@parley/audit';
import { UserEntity } from '@parley/auth';
import { APP_CONFIG, DomainError, type AppConfig } from '@parley/platform';
import { assertPartyQuota, assertSessionQuota } from '../domain';
import { MediationSessionEntity, ParticipantEntity, RoomEntity } from '../infrastructure/persistence';
import { addPartyWithCaucus } from './add-party.use-case';

export interface CreateSessionCommand {
  userId: string;
  title: string;
  description?: string;
  parties?: string[];
}

/**
 * A new mediation: draft status, the creator as lead mediator, the plenary, the mediator room,
 * and each party with its caucus.
 */
@Injectable()
export class CreateSessionUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(cmd: CreateSessionCommand): Promise<{ sessionId: string }> {
    const names = cmd.parties ?? [];
    const keys = names.map((n) => n.trim().toLowerCase());
    if (new Set(keys).size !== keys.length) throw new DomainError('PARTY_NAME_TAKEN', 'Two parties cannot have the same name.', 'parties');
    assertPartyQuota(0, names.length, this.config.quotas.partiesPerSession);

    return this.dataSource.transaction(async (manager) => {
      // Locked: one account's creations are counted one after the other, so the quota holds.
      const user = await manager.getRepository(UserEntity).findOne({ where: { id: cmd.userId }, lock: { mode: 'pessimistic_write' } });
      // A well-signed token can outlive its account (deleted, or another database's secret).
      if (!user) throw new DomainError('TOKEN_INVALID', 'This access token names no account; sign in again.');
      const created = await manager
        .getRepository(MediationSessionEntity)
        .count({ where: { createdByUserId: user.id, status: Not('closed') } });
      assertSessionQuota(created, this.config.quotas.sessionsPerAccount);
      const sessionId = randomUUID();
      await manager.getRepository(MediationSessionEntity).insert({
        id: sessionId,
        title: cmd.title.trim(),
        description: cmd.description?.trim() ?? '',
        status: 'draft',
        createdByUserId: user.id,
      });
      const plenaryId = randomUUID();
      const mediatorRoomId = randomUUID();
      await manager.getRepository(RoomEntity).insert([
        { id: plenaryId, sessionId, kind: 'plenary', name: 'Plenary', partyId: null, closedAt: null },
        { id: mediatorRoomId, sessionId, kind: 'mediator', name: 'Mediator room', partyId: null, closedAt: null },
      ]);
      const leadId = randomUUID();
      await manager.getRepository(ParticipantEntity).insert({
        id: leadId,
        sessionId,
        userId: user.id,
        role: 'lead_mediator',
        partyId: null,
        isHead: false,
        displayName: user.displayName,
        roomId: null,
      });
      const actor = { actorUserId: user.id, actorParticipantId: leadId };
      const facts: AuditFact[] = [
        {
          ...actor,
          type: 'session.created',
          payload: { title: cmd.title.trim(), description: cmd.description?.trim() ?? '', status: 'draft' },
        },
        { ...actor, type: 'room.created', payload: { roomId: plenaryId, kind: 'plenary' } },
        { ...actor, type: 'room.created', payload: { roomId: mediatorRoomId, kind: 'mediator' } },
        { ...actor, type: 'participant.joined', payload: { participantId: leadId, userId: user.id, role: 'lead_mediator' } },
      ];
      for (const [position, name] of names.entries()) {
        const { partyId, caucusRoomId } = await addPartyWithCaucus(manager, sessionId, name, position);
        facts.push({ ...actor, type: 'party.added', payload: { partyId, name: name.trim(), caucusRoomId } });
      }
      await this.audit.append(manager, sessionId, facts);
      return { sessionId };
    });
  }
}
