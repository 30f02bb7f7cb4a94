import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { managerOf, type Tx } from '@parley/platform';
import { GENESIS_HASH, contentDigest, toContent, type AuditEntry, type AuditFact, type ChainVerdict } from '../domain/audit-chain';
import { readableTrail, verifyTrail, type TrailEntry } from '../domain/audit-seal';
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
 * SQL of one append (`AuditTrail.appendSql`): `append` runs it alone; a use case may put it in a
 * larger statement of its own, as chat posting does (see post-chat-message.use-case.ts).
 */
export interface AuditAppendSql {
  /** CTEs named `<prefix>_head` and `<prefix>_entry`, separated by commas. */
  ctes: string;
  params: unknown[];
}

export interface PreparedAuditRow {
  id: string;
  type: string;
  actor_user_id: string | null;
  actor_participant_id: string | null;
  payload: unknown;
  occurred_at: string;
  digest: string;
}

/**
 * The session's tamper-evident trail. An append is one statement: it moves the session's head
 * (locking its row until the transaction ends, so one session's appends are serialised) and
 * inserts the entry whose link hash the database computes with the formula of `linkHash` — the
 * content digest comes from here. An entry exists exactly when the change it records committed.
 */
@Injectable()
export class AuditTrail {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * CTEs appending one fact, with parameters numbered from `offset + 1`. `gate`, when given,
   * names a CTE whose rows the append requires (no row there, no entry).
   */
  appendSql(sessionId: string, fact: AuditFact, occurredAt: Date, offset: number, prefix = 'audit', gate?: string): AuditAppendSql {
    const content = toContent(sessionId, fact, occurredAt);
    const $ = (n: number) => `$${offset + n}`;
    const link = (prev: string, seq: string) =>
      `encode(sha256(convert_to(${prev} || ':' || (${seq})::text || ':' || ${$(8)}::text, 'UTF8')), 'hex')`;
    const ctes = `${prefix}_head AS (
        INSERT INTO audit_heads (session_id, seq, prev_hash, hash)
        SELECT ${$(1)}::uuid, 1, '${GENESIS_HASH}', ${link(`'${GENESIS_HASH}'`, '1')}${gate ? ` FROM ${gate}` : ''}
        ON CONFLICT (session_id) DO UPDATE SET
          seq = audit_heads.seq + 1,
          prev_hash = audit_heads.hash,
          hash = ${link('audit_heads.hash', 'audit_heads.seq + 1')}
        RETURNING seq, prev_hash, hash
      ), ${prefix}_entry AS (
        INSERT INTO audit_entries (id, session_id, seq, type, actor_user_id, actor_participant_id, payload, occurred_at, prev_hash, hash)
        SELECT ${$(2)}::uuid, ${$(1)}::uuid, h.seq, ${$(3)}, ${$(4)}::uuid, ${$(5)}::uuid, ${$(6)}::jsonb, ${$(7)}::timestamptz, h.prev_hash, h.hash
          FROM ${prefix}_head h
        RETURNING seq, prev_hash, hash
      )`;
    const params = [
      sessionId,
      randomUUID(),
      content.type,
      content.actorUserId,
      content.actorParticipantId,
      JSON.stringify(content.payload),
      content.occurredAt,
      contentDigest(content),
    ];
    return { ctes, params };
  }

  /**
   * One fact as the row a batched append writes (see the chat group commit): its id, its content
   * and the digest the database chains, in the field names of `parley_append_chats`.
   */
  prepare(sessionId: string, fact: AuditFact, occurredAt: Date): PreparedAuditRow {
    const content = toContent(sessionId, fact, occurredAt);
    return {
      id: randomUUID(),
      type: content.type,
      actor_user_id: content.actorUserId,
      actor_participant_id: content.actorParticipantId,
      payload: content.payload,
      occurred_at: content.occurredAt,
      digest: contentDigest(content),
    };
  }

  /** Appends inside the caller's transaction (`tx`): the entries exist exactly when it commits. */
  async append(tx: Tx | EntityManager, sessionId: string, facts: readonly AuditFact[]): Promise<AuditEntry[]> {
    const manager = tx instanceof EntityManager ? tx : managerOf(tx);
    const entries: AuditEntry[] = [];
    const at = new Date();
    for (const fact of facts) {
      const { ctes, params } = this.appendSql(sessionId, fact, at, 0);
      const [row] = await manager.query<Array<{ seq: number; prev_hash: string; hash: string }>>(
        `WITH ${ctes} SELECT seq, prev_hash, hash FROM audit_entry`,
        params,
      );
      entries.push({ ...toContent(sessionId, fact, at), seq: row.seq, prevHash: row.prev_hash, hash: row.hash });
    }
    return entries;
  }

  /** Every entry in full, sealed ones included: for the server's own use, never for a reader. */
  async entries(sessionId: string): Promise<AuditEntry[]> {
    const rows = await this.dataSource.getRepository(AuditEntryEntity).find({ where: { sessionId }, order: { seq: 'ASC' } });
    return rows.map(toEntry);
  }

  /**
   * The trail as its readers see it — sealed entries as their place and commitment only (see
   * audit-seal.ts) — and the verification of exactly that, which a reader can repeat.
   */
  async readable(sessionId: string): Promise<{ entries: TrailEntry[]; verification: ChainVerdict }> {
    const entries = readableTrail(await this.entries(sessionId));
    return { entries, verification: verifyTrail(sessionId, entries) };
  }
}
