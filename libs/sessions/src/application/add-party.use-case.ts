import { Inject, Injectable } from '@nestjs/common';
import type { PartyView } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { APP_CONFIG, UnitOfWork, type AppConfig } from '@parley/platform';
import { assertMayConfigure, assertPartyQuota } from '../domain';
import { SessionRoster } from './session-roster';
import { SessionStore } from './session-store';

@Injectable()
export class AddPartyUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly roster: SessionRoster,
    private readonly sessions: SessionStore,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  execute(cmd: { userId: string; sessionId: string; name: string }): Promise<PartyView> {
    return this.uow.transaction(async (tx) => {
      const { session, actor } = await this.roster.actor(tx, cmd.sessionId, cmd.userId, true);
      assertMayConfigure(actor, session.status);
      const position = await this.sessions.countParties(tx, session.id);
      assertPartyQuota(position, 1, this.config.quotas.partiesPerSession);
      const { partyId, caucusRoomId } = await this.sessions.addPartyWithCaucus(tx, session.id, cmd.name, position);
      await this.audit.append(tx, session.id, [
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
