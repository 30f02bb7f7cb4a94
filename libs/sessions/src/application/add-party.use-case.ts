import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { PartyView } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { APP_CONFIG, DomainError, type AppConfig } from '@parley/platform';
import { assertMayConfigure, assertPartyQuota } from '../domain';
import { PartyEntity, RoomEntity } from '../infrastructure/persistence';
import { loadActor } from './session-access';

/** A party never exists without its caucus: both are written together. */
export async function addPartyWithCaucus(manager: EntityManager, sessionId: string, name: string, position: number) {
  const partyId = randomUUID();
  const caucusRoomId = randomUUID();
  const trimmed = name.trim();
  const nameKey = trimmed.toLowerCase();
  if (await manager.getRepository(PartyEntity).exists({ where: { sessionId, nameKey } })) {
    throw new DomainError('PARTY_NAME_TAKEN', 'A party of this session already has this name.', 'name');
  }
  await manager.getRepository(PartyEntity).insert({ id: partyId, sessionId, name: trimmed, nameKey, position });
  await manager
    .getRepository(RoomEntity)
    .insert({ id: caucusRoomId, sessionId, kind: 'caucus', name: `Caucus — ${trimmed}`, partyId, closedAt: null });
  return { partyId, caucusRoomId };
}

@Injectable()
export class AddPartyUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  execute(cmd: { userId: string; sessionId: string; name: string }): Promise<PartyView> {
    return this.dataSource.transaction(async (manager) => {
      const { session, actor } = await loadActor(manager, cmd.sessionId, cmd.userId, true);
      assertMayConfigure(actor, session.status);
      const position = await manager.getRepository(PartyEntity).count({ where: { sessionId: session.id } });
      assertPartyQuota(position, 1, this.config.quotas.partiesPerSession);
      const { partyId, caucusRoomId } = await addPartyWithCaucus(manager, session.id, cmd.name, position);
      await this.audit.append(manager, session.id, [
        {
          type: 'party.added',
          actorUserId: cmd.userId,
          actorParticipantId: actor.id,
          payload: { partyId, name: cmd.name.trim(), caucusRoomId },
        },
      ]);
      return { id: partyId, name: cmd.name.trim(), caucusRoomId };
    });
  }
}
