import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
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

export interface PreparedAuditRow {
  id: string;
  type: string;
  actor_user_id: string | null;
  actor_participant_id: string | null;
  payload: unknown;
  occurred_at: string;
  digest: string;
}

/** sha256(prev ':' seq ':' digest) in hex: `linkHash`'s formula, computed where the head is locked. */
const link = (prev: string, seq: string) =>
  `encode(sha256(convert_to(${prev} || ':' || (${seq})::text || ':' || $8::text, 'UTF8')), 'hex')`;

/** One append: moves the session's head and inserts the entry linked to it ($1 session … $8 content digest). */
const APPEND = `WITH head AS (
    INSERT INTO audit_heads (session_id, seq, prev_hash, hash)
    VALUES ($1::uuid, 1, '${GENESIS_HASH}', ${link(`'${GENESIS_HASH}'`, '1')})
    ON CONFLICT (session_id) DO UPDATE SET
      seq = audit_heads.seq + 1,
      prev_hash = audit_heads.hash,
      hash = ${link('audit_heads.hash', 'audit_heads.seq + 1')}
    RETURNING seq, prev_hash, hash
  )
  INSERT INTO audit_entries (id, session_id, seq, type, actor_user_id, actor_participant_id, payload, occurred_at, prev_hash, hash)
  SELECT $2::uuid, $1::uuid, h.seq, $3, $4::uuid, $5::uuid, $6::jsonb, $7::timestamptz, h.prev_hash, h.hash FROM head h
  RETURNING seq, prev_hash, hash`;

/**
 * The session's tamper-evident trail. An append is one statement: it moves the session's head
 * (locking its row until the transaction ends, so one session's appends are serialised) and
 * inserts the entry whose link hash the database computes with the formula of `linkHash` — the
 * content digest comes from here. An entry exists exactly when the change it records committed.
 */
@Injectable()
export class AuditTrail {
  /**
   * One fact as the row a batched append writes (see the chat group commit): its id, its content
   * and the digest the database chains, in the field names of `parley_append_decided_chats`.
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
  async append(tx: Tx, sessionId: string, facts: readonly AuditFact[]): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    const at = new Date();
    for (const fact of facts) {
      const row = this.prepare(sessionId, fact, at);
      const [link] = await managerOf(tx).query<Array<{ seq: number; prev_hash: string; hash: string }>>(APPEND, [
        sessionId,
        row.id,
        row.type,
        row.actor_user_id,
        row.actor_participant_id,
        JSON.stringify(row.payload),
        row.occurred_at,
        row.digest,
      ]);
      entries.push({ ...toContent(sessionId, fact, at), seq: link.seq, prevHash: link.prev_hash, hash: link.hash });
    }
    return entries;
  }

  /** Every entry in full, sealed ones included, read in `tx`: for the server's own use, never for a reader. */
  async entries(tx: Tx, sessionId: string): Promise<AuditEntry[]> {
    const rows = await managerOf(tx)
      .getRepository(AuditEntryEntity)
      .find({ where: { sessionId }, order: { seq: 'ASC' } });
    return rows.map(toEntry);
  }

  /**
   * The trail as its readers see it — sealed entries as their place and commitment only (see
   * audit-seal.ts) — and the verification of exactly that, which a reader can repeat. Read in `tx`:
   * the snapshot on which the reader's right to it was decided.
   */
  async readable(tx: Tx, sessionId: string): Promise<{ entries: TrailEntry[]; verification: ChainVerdict }> {
    const entries = readableTrail(await this.entries(tx, sessionId));
    return { entries, verification: verifyTrail(sessionId, entries) };
  }
}
