import { Injectable } from '@nestjs/common';
import { DomainError, type Tx } from '@parley/platform';
import { assertMayConfigure, assertMediator, SessionDirectory, type SeatedParticipant, type SessionRecord } from '@parley/sessions';
import { ConsultationStore, type StoredConsultation } from './consultation-store';

export const consultationNotFound = (): DomainError =>
  new DomainError('CONSULTATION_NOT_FOUND', 'There is no consultation with this id in this session.', 'consultationId');

/**
 * Who may run a session's consultations: its mediators. Anyone else in the session is refused with
 * MEDIATOR_ONLY before any consultation is looked up (an id reveals nothing); anyone outside it gets
 * SESSION_NOT_FOUND, as everywhere.
 */
@Injectable()
export class MediatorAccess {
  constructor(
    private readonly sessions: SessionDirectory,
    private readonly store: ConsultationStore,
  ) {}

  /** A mediator reading. */
  async reader(tx: Tx, sessionId: string, userId: string): Promise<{ session: SessionRecord; actor: SeatedParticipant }> {
    const found = await this.sessions.actor(tx, sessionId, userId);
    assertMediator(found.actor);
    return found;
  }

  /** A mediator changing something: not once the session is closed; decided against status changes. */
  async writer(tx: Tx, sessionId: string, userId: string): Promise<{ session: SessionRecord; actor: SeatedParticipant }> {
    const found = await this.sessions.actor(tx, sessionId, userId, 'share');
    assertMayConfigure(found.actor, found.session.status);
    return found;
  }

  async consultation(tx: Tx, sessionId: string, consultationId: string, lock = false): Promise<StoredConsultation> {
    const c = await this.store.consultation(tx, sessionId, consultationId, lock);
    if (!c) throw consultationNotFound();
    return c;
  }
}
