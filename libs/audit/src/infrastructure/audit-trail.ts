import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { chain, type AuditEntry, type AuditFact } from '../domain/audit-chain';
import { AuditEntryEntity } from './audit-entry.entity';

const toEntry = (e: AuditEntryEntity): AuditEntry => ({
  sessionId: e.sessionId,
  seq: e.seq,
  type: e.type,
  actorUserId: e.actorUserId,
  actorParticipantId: e.actorParticipantId,
  payload: e.payload,
  occurredAt: e.occurredAt.toISOString(),
  prevHash: e.prevHash,
  hash: e.hash,
});

/**
 * The session's tamper-evident trail. `append` runs inside the caller's transaction, so an entry
 * exists exactly when the change it records was committed. Appends of one session are serialised
 * by a transaction-scoped advisory lock on the session id.
 */
@Injectable()
export class AuditTrail {
  constructor(private readonly dataSource: DataSource) {}

  async append(manager: EntityManager, sessionId: string, facts: readonly AuditFact[]): Promise<AuditEntry[]> {
    if (facts.length === 0) return [];
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [sessionId]);
    const head = await manager.getRepository(AuditEntryEntity).findOne({
      where: { sessionId },
      order: { seq: 'DESC' },
      select: { seq: true, hash: true },
    });
    const entries = chain(sessionId, head, facts, new Date());
    await manager.getRepository(AuditEntryEntity).insert(
      entries.map((e) => ({ ...e, id: randomUUID(), occurredAt: new Date(e.occurredAt) }) as QueryDeepPartialEntity<AuditEntryEntity>),
    );
    return entries;
  }

  async entries(sessionId: string): Promise<AuditEntry[]> {
    const rows = await this.dataSource.getRepository(AuditEntryEntity).find({ where: { sessionId }, order: { seq: 'ASC' } });
    return rows.map(toEntry);
  }
}
