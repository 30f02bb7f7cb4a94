import { Injectable } from '@nestjs/common';
import { In, Not, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { SessionStatus } from '@parley/contracts';
import { isUniqueViolation, managerOf, type Tx } from '@parley/platform';
import {
  DuplicateShuttleSubmission,
  ShuttleStore,
  type ShuttleListing,
  type ShuttleMessageChanges,
  type StoredShuttleMessage,
} from '../../application/shuttle-store';
import { ShuttleMessageEntity } from './shuttle-message.entity';

const toStored = (m: ShuttleMessageEntity): StoredShuttleMessage => ({
  id: m.id,
  sessionId: m.sessionId,
  partyId: m.partyId,
  authorParticipantId: m.authorParticipantId,
  label: m.label,
  conveyToPartyId: m.conveyToPartyId,
  text: m.text,
  status: m.status,
  releaseAt: m.releaseAt,
  conveyedText: m.conveyedText,
  conveyMode: m.conveyMode,
  declineReason: m.declineReason,
  decidedByParticipantId: m.decidedByParticipantId,
  clientKey: m.clientKey,
  createdAt: m.createdAt,
  updatedAt: m.updatedAt,
});

/** Shuttle messages in `shuttle_messages`; the sessions' and participants' tables are read by name. */
@Injectable()
export class TypeOrmShuttleStore extends ShuttleStore {
  private repo(tx: Tx) {
    return managerOf(tx).getRepository(ShuttleMessageEntity);
  }

  async byClientKey(tx: Tx, authorParticipantId: string, clientKey: string): Promise<StoredShuttleMessage | null> {
    const found = await this.repo(tx).findOne({ where: { authorParticipantId, clientKey } });
    return found ? toStored(found) : null;
  }

  async insert(tx: Tx, message: StoredShuttleMessage): Promise<StoredShuttleMessage> {
    const repo = this.repo(tx);
    const row = repo.create({ ...message });
    try {
      await repo.insert(row);
    } catch (e) {
      if (isUniqueViolation(e, 'shuttle_messages_idempotency')) throw new DuplicateShuttleSubmission();
      throw e;
    }
    return toStored(row);
  }

  async lock(tx: Tx, sessionId: string, messageId: string): Promise<StoredShuttleMessage | null> {
    const m = await this.repo(tx).findOne({ where: { id: messageId, sessionId }, lock: { mode: 'pessimistic_write' } });
    return m ? toStored(m) : null;
  }

  async update(tx: Tx, messageId: string, changes: ShuttleMessageChanges): Promise<StoredShuttleMessage> {
    const repo = this.repo(tx);
    await repo.update({ id: messageId }, changes);
    return toStored(await repo.findOneByOrFail({ id: messageId }));
  }

  async list(tx: Tx, q: ShuttleListing): Promise<StoredShuttleMessage[]> {
    const status = q.status ? ('in' in q.status ? In([...q.status.in]) : Not(In([...q.status.notIn]))) : undefined;
    const rows = await this.repo(tx).find({
      where: { sessionId: q.sessionId, ...(q.partyId !== undefined ? { partyId: q.partyId } : {}), ...(status ? { status } : {}) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return rows.map(toStored);
  }

  async authorName(tx: Tx, participantId: string): Promise<string> {
    const row = await managerOf(tx)
      .createQueryBuilder()
      .select('p.display_name', 'name')
      .from('participants', 'p')
      .where('p.id = :id', { id: participantId })
      .getRawOne<{ name: string }>();
    return row?.name ?? '';
  }

  async authorNames(tx: Tx, participantIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    if (participantIds.length === 0) return new Map();
    const rows = await managerOf(tx)
      .createQueryBuilder()
      .select('p.id', 'id')
      .addSelect('p.display_name', 'name')
      .from('participants', 'p')
      .where('p.id IN (:...ids)', { ids: [...new Set(participantIds)] })
      .getRawMany<{ id: string; name: string }>();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  lockDueForRelease(tx: Tx, now: Date, releasable: readonly SessionStatus[], limit: number): Promise<StoredShuttleMessage[]> {
    return this.cooling(managerOf(tx), releasable)
      .andWhere('m.release_at <= :now', { now })
      .orderBy('m.release_at', 'ASC')
      .limit(limit)
      .setLock('pessimistic_write', undefined, ['m'])
      .setOnLocked('skip_locked')
      .getMany()
      .then((rows) => rows.map(toStored));
  }

  async nextRelease(tx: Tx, releasable: readonly SessionStatus[]): Promise<Date | null> {
    const next = await this.cooling(managerOf(tx), releasable).select('MIN(m.release_at)', 'at').getRawOne<{ at: Date | string | null }>();
    return next?.at ? new Date(next.at) : null;
  }

  async shareSessionStatuses(tx: Tx, sessionIds: readonly string[]): Promise<ReadonlyMap<string, SessionStatus>> {
    if (sessionIds.length === 0) return new Map();
    const rows = await managerOf(tx)
      .createQueryBuilder()
      .select('s.id', 'id')
      .addSelect('s.status', 'status')
      .from('mediation_sessions', 's')
      .where('s.id IN (:...ids)', { ids: [...sessionIds] })
      .setLock('pessimistic_read')
      .getRawMany<{ id: string; status: SessionStatus }>();
    return new Map(rows.map((s) => [s.id, s.status]));
  }

  /** Messages still cooling off, in sessions whose status allows their release. */
  private cooling(manager: EntityManager, releasable: readonly SessionStatus[]): SelectQueryBuilder<ShuttleMessageEntity> {
    return manager
      .getRepository(ShuttleMessageEntity)
      .createQueryBuilder('m')
      .innerJoin('mediation_sessions', 's', 's.id = m.session_id')
      .where(`m.status = 'cooling'`)
      .andWhere('s.status IN (:...releasable)', { releasable: [...releasable] });
  }
}
