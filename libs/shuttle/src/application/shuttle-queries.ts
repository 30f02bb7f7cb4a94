import { Injectable } from '@nestjs/common';
import { DataSource, In, Not } from 'typeorm';
import type { ShuttleMessageView, ShuttleStatus } from '@parley/contracts';
import { DomainError } from '@parley/platform';
import { ParticipantEntity, isMediator, loadActor } from '@parley/sessions';
import { UNSEEN_BY_MEDIATORS, hasReachedMediators } from '../domain';
import { ShuttleMessageEntity } from '../infrastructure/persistence';
import { toShuttleView } from './shuttle-views';

/**
 * Shuttle messages as the caller may see them: mediators, their queue and every message
 * that reached it; a party member, their own delegation's; observers, nothing.
 */
@Injectable()
export class ShuttleQueries {
  constructor(private readonly dataSource: DataSource) {}

  async list(cmd: { userId: string; sessionId: string; status?: ShuttleStatus[] }): Promise<ShuttleMessageView[]> {
    const { actor } = await loadActor(this.dataSource.manager, cmd.sessionId, cmd.userId);
    const repo = this.dataSource.getRepository(ShuttleMessageEntity);
    let rows: ShuttleMessageEntity[];
    if (isMediator(actor)) {
      const wanted = cmd.status?.filter(hasReachedMediators);
      rows = await repo.find({
        where: { sessionId: cmd.sessionId, status: wanted ? In(wanted) : Not(In([...UNSEEN_BY_MEDIATORS])) },
        order: { createdAt: 'ASC', id: 'ASC' },
      });
    } else if (actor.role === 'party_member') {
      rows = await repo.find({
        where: { sessionId: cmd.sessionId, partyId: actor.partyId!, ...(cmd.status ? { status: In(cmd.status) } : {}) },
        order: { createdAt: 'ASC', id: 'ASC' },
      });
    } else {
      throw new DomainError('SHUTTLE_PARTY_ONLY', 'Shuttle messages are for the parties and the mediators.');
    }
    const authors = rows.length
      ? await this.dataSource
          .getRepository(ParticipantEntity)
          .find({ where: { id: In([...new Set(rows.map((r) => r.authorParticipantId))]) }, select: { id: true, displayName: true } })
      : [];
    const names = new Map(authors.map((a) => [a.id, a.displayName]));
    return rows.map((r) => toShuttleView(r, names.get(r.authorParticipantId) ?? ''));
  }
}
