import { Injectable } from '@nestjs/common';
import type { ShuttleMessageView, ShuttleStatus } from '@parley/contracts';
import { DomainError, UnitOfWork } from '@parley/platform';
import { SessionDirectory, isMediator } from '@parley/sessions';
import { UNSEEN_BY_MEDIATORS, hasReachedMediators } from '../domain';
import { ShuttleStore, type StoredShuttleMessage } from './shuttle-store';
import { toShuttleView } from './shuttle-views';

/**
 * Shuttle messages as the caller may see them: mediators, their queue and every message
 * that reached it; a party member, their own delegation's; observers, nothing.
 */
@Injectable()
export class ShuttleQueries {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly directory: SessionDirectory,
    private readonly store: ShuttleStore,
  ) {}

  list(cmd: { userId: string; sessionId: string; status?: ShuttleStatus[] }): Promise<ShuttleMessageView[]> {
    // Who asks and what they are shown on one snapshot: a member re-roled or removed meanwhile is
    // never shown what their delegation wrote after.
    return this.uow.snapshot(async (tx) => {
      const { actor } = await this.directory.actor(tx, cmd.sessionId, cmd.userId);
      let rows: StoredShuttleMessage[];
      if (isMediator(actor)) {
        const wanted = cmd.status?.filter(hasReachedMediators);
        rows = await this.store.list(tx, { sessionId: cmd.sessionId, status: wanted ? { in: wanted } : { notIn: UNSEEN_BY_MEDIATORS } });
      } else if (actor.role === 'party_member') {
        rows = await this.store.list(tx, {
          sessionId: cmd.sessionId,
          partyId: actor.partyId!,
          ...(cmd.status ? { status: { in: cmd.status } } : {}),
        });
      } else {
        throw new DomainError('SHUTTLE_PARTY_ONLY', 'Shuttle messages are for the parties and the mediators.');
      }
      const names = await this.store.authorNames(
        tx,
        rows.map((r) => r.authorParticipantId),
      );
      return rows.map((r) => toShuttleView(r, names.get(r.authorParticipantId) ?? ''));
    });
  }
}
