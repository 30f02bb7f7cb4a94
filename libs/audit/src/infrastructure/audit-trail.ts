import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
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
    // Lock and read the head in one round trip; the lock holds until the transaction ends.
    const [head] = (await manager.query(
      `SELECT h.seq, h.hash
         FROM (SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))) AS locked
         LEFT JOIN LATERAL (SELECT seq, hash FROM audit_entries WHERE session_id = $1::uuid ORDER BY seq DESC LIMIT 1) AS h ON true`,
      [sessionId],
    )) as Array<{ seq: number | null; hash: string | null }>;
    const entries = chain(sessionId, head?.seq != null ? { seq: head.seq, hash: head.hash! } : null, facts, new Date());
    const values: unknown[] = [];
    const rows = entries.map((e, i) => {
      values.push(randomUUID(), e.sessionId, e.seq, e.type, e.actorUserId, e.actorParticipantId, JSON.stringify(e.payload), e.occurredAt, e.prevHash, e.hash);
      const o = i * 10;
      return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}, $${o + 7}::jsonb, $${o + 8}, $${o + 9}, $${o + 10})`;
    });
    await manager.query(
      `INSERT INTO audit_entries (id, session_id, seq, type, actor_user_id, actor_participant_id, payload, occurred_at, prev_hash, hash) VALUES ${rows.join(', ')}`,
      values,
    );
    return entries;
  }

  async entries(sessionId: string): Promise<AuditEntry[]> {
    const rows = await this.dataSource.getRepository(AuditEntryEntity).find({ where: { sessionId }, order: { seq: 'ASC' } });
    return rows.map(toEntry);
  }
}
