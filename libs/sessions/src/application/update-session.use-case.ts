import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditTrail } from '@parley/audit';
import { assertMayConfigure } from '../domain';
import { MediationSessionEntity } from '../infrastructure/persistence';
import { loadActor } from './session-access';

/** Title, description and the cooling-off delay: mediators, until the session is closed. */
@Injectable()
export class UpdateSessionUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  execute(cmd: { userId: string; sessionId: string; title?: string; description?: string; coolingOffSeconds?: number }): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      const { session, actor } = await loadActor(manager, cmd.sessionId, cmd.userId, true);
      assertMayConfigure(actor, session.status);
      const changes: Partial<MediationSessionEntity> = {};
      if (cmd.title !== undefined) changes.title = cmd.title.trim();
      if (cmd.description !== undefined) changes.description = cmd.description.trim();
      if (cmd.coolingOffSeconds !== undefined) changes.coolingOffSeconds = cmd.coolingOffSeconds;
      if (Object.keys(changes).length === 0) return;
      await manager.getRepository(MediationSessionEntity).update({ id: session.id }, changes);
      await this.audit.append(manager, session.id, [
        { type: 'session.updated', actorUserId: cmd.userId, actorParticipantId: actor.id, payload: { ...changes } },
      ]);
    });
  }
}
