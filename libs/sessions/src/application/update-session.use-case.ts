import { Injectable } from '@nestjs/common';
import { AuditTrail } from '@parley/audit';
import { UnitOfWork } from '@parley/platform';
import { assertLanguagesKeepPairs, assertMayConfigure, assertSessionLanguages } from '../domain';
import { SessionRoster } from './session-roster';
import { invitationStatus, InvitationStore } from './invitation-store';
import { SessionStore, type SessionChanges } from './session-store';

/**
 * Title, description, the cooling-off delay and the declared languages: mediators, until the
 * session is closed. A language an interpreter works in, or a pending interpreter invitation names,
 * stays declared (LANGUAGE_IN_USE).
 */
@Injectable()
export class UpdateSessionUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly roster: SessionRoster,
    private readonly sessions: SessionStore,
    private readonly invitations: InvitationStore,
    private readonly audit: AuditTrail,
  ) {}

  execute(cmd: {
    userId: string;
    sessionId: string;
    title?: string;
    description?: string;
    coolingOffSeconds?: number;
    languages?: readonly unknown[];
  }): Promise<void> {
    return this.uow.transaction(async (tx) => {
      const { session, actor } = await this.roster.actor(tx, cmd.sessionId, cmd.userId, true);
      assertMayConfigure(actor, session.status);
      const changes: SessionChanges = {};
      if (cmd.title !== undefined) changes.title = cmd.title.trim();
      if (cmd.description !== undefined) changes.description = cmd.description.trim();
      if (cmd.coolingOffSeconds !== undefined) changes.coolingOffSeconds = cmd.coolingOffSeconds;
      if (cmd.languages !== undefined) {
        const languages = assertSessionLanguages(cmd.languages);
        const participants = await this.roster.participants(tx, session.id);
        const pending = (await this.invitations.list(tx, session.id)).filter((i) => invitationStatus(i) === 'pending');
        assertLanguagesKeepPairs(
          languages,
          participants.map((p) => p.languages),
          pending.map((i) => i.languages),
        );
        if (languages.join(' ') !== session.languages.join(' ')) changes.languages = languages;
      }
      if (Object.keys(changes).length === 0) return;
      await this.sessions.update(tx, session.id, changes);
      await this.audit.append(tx, session.id, [
        { type: 'session.updated', actorUserId: cmd.userId, actorParticipantId: actor.id, payload: { ...changes } },
      ]);
    });
  }
}
