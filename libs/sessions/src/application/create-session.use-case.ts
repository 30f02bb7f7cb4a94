import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditTrail, type AuditFact } from '@parley/audit';
import { APP_CONFIG, DomainError, UnitOfWork, type AppConfig } from '@parley/platform';
import { assertPartyQuota, assertSessionLanguages, assertSessionQuota } from '../domain';
import { SessionStore } from './session-store';

export interface CreateSessionCommand {
  userId: string;
  title: string;
  description?: string;
  parties?: string[];
  /** The languages the talks are held in (checked: LANGUAGE_INVALID). */
  languages?: readonly unknown[];
}

/**
 * A new mediation: draft status, the creator as lead mediator, the plenary, the mediator room,
 * and each party with its caucus.
 */
@Injectable()
export class CreateSessionUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly sessions: SessionStore,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(cmd: CreateSessionCommand): Promise<{ sessionId: string }> {
    const names = cmd.parties ?? [];
    const keys = names.map((n) => n.trim().toLowerCase());
    if (new Set(keys).size !== keys.length) throw new DomainError('PARTY_NAME_TAKEN', 'Two parties cannot have the same name.', 'parties');
    assertPartyQuota(0, names.length, this.config.quotas.partiesPerSession);
    const languages = assertSessionLanguages(cmd.languages ?? []);

    return this.uow.transaction(async (tx) => {
      // Locked: one account's creations are counted one after the other, so the quota holds.
      const user = await this.sessions.lockCreator(tx, cmd.userId);
      // A well-signed token can outlive its account (deleted, or another database's secret).
      if (!user) throw new DomainError('TOKEN_INVALID', 'This access token names no account; sign in again.');
      const created = await this.sessions.countOpenCreatedBy(tx, user.id);
      assertSessionQuota(created, this.config.quotas.sessionsPerAccount);
      const sessionId = randomUUID();
      const plenaryId = randomUUID();
      const mediatorRoomId = randomUUID();
      const leadId = randomUUID();
      await this.sessions.create(tx, {
        id: sessionId,
        title: cmd.title.trim(),
        description: cmd.description?.trim() ?? '',
        createdByUserId: user.id,
        plenaryId,
        mediatorRoomId,
        languages,
        lead: { id: leadId, userId: user.id, displayName: user.displayName },
      });
      const actor = { actorUserId: user.id, actorParticipantId: leadId };
      const facts: AuditFact[] = [
        {
          ...actor,
          type: 'session.created',
          payload: { title: cmd.title.trim(), description: cmd.description?.trim() ?? '', status: 'draft', languages },
        },
        { ...actor, type: 'room.created', payload: { roomId: plenaryId, kind: 'plenary' } },
        { ...actor, type: 'room.created', payload: { roomId: mediatorRoomId, kind: 'mediator' } },
        { ...actor, type: 'participant.joined', payload: { participantId: leadId, userId: user.id, role: 'lead_mediator' } },
      ];
      for (const [position, name] of names.entries()) {
        const { partyId, caucusRoomId } = await this.sessions.addPartyWithCaucus(tx, sessionId, name, position);
        facts.push({ ...actor, type: 'party.added', payload: { partyId, name: name.trim(), caucusRoomId } });
      }
      await this.audit.append(tx, sessionId, facts);
      return { sessionId };
    });
  }
}
