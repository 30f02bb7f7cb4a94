import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';

/** The previous hash of a session's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an entry says, before it is chained. */
export interface AuditFact {
  /** Past tense, dotted: `session.created`, `participant.moved`. */
  type: string;
  actorUserId: string | null;
  actorParticipantId: string | null;
  payload: Record<string, unknown>;
}

/** An entry as stored: the fact, its place in the session's chain and its hash. */
export interface AuditEntry extends AuditFact {
  sessionId: string;
  seq: number;
  occurredAt: string;
  prevHash: string;
  hash: string;
}

type Unhashed = Omit<AuditEntry, 'hash'>;

/**
 * SHA-256 over the RFC 8785 canonical JSON of everything the entry says, including the previous
 * entry's hash: changing, removing or reordering any entry breaks every hash after it.
 */
export function hashEntry(e: Unhashed): string {
  const canonical = canonicalize({
    sessionId: e.sessionId,
    seq: e.seq,
    type: e.type,
    actorUserId: e.actorUserId,
    actorParticipantId: e.actorParticipantId,
    payload: e.payload,
    occurredAt: e.occurredAt,
    prevHash: e.prevHash,
  });
  if (canonical === undefined) throw new Error('audit entry is not serialisable');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** Chains facts after `head` (the session's last entry, or null for the first). */
export function chain(
  sessionId: string,
  head: { seq: number; hash: string } | null,
  facts: readonly AuditFact[],
  occurredAt: Date,
): AuditEntry[] {
  let prev = head ?? { seq: 0, hash: GENESIS_HASH };
  return facts.map((fact) => {
    const unhashed: Unhashed = {
      sessionId,
      seq: prev.seq + 1,
      type: fact.type,
      actorUserId: fact.actorUserId,
      actorParticipantId: fact.actorParticipantId,
      // JSON round trip: what is hashed is exactly what the database will give back.
      payload: JSON.parse(JSON.stringify(fact.payload)) as Record<string, unknown>,
      occurredAt: occurredAt.toISOString(),
      prevHash: prev.hash,
    };
    const entry = { ...unhashed, hash: hashEntry(unhashed) };
    prev = entry;
    return entry;
  });
}

export type ChainVerdict = { valid: true; length: number } | { valid: false; brokenAtSeq: number; reason: 'sequence' | 'link' | 'hash' };

/** Checks a session's entries, in order, from the first. */
export function verifyChain(entries: readonly AuditEntry[]): ChainVerdict {
  let prev = { seq: 0, hash: GENESIS_HASH };
  for (const e of entries) {
    if (e.seq !== prev.seq + 1) return { valid: false, brokenAtSeq: e.seq, reason: 'sequence' };
    if (e.prevHash !== prev.hash) return { valid: false, brokenAtSeq: e.seq, reason: 'link' };
    const { hash, ...rest } = e;
    if (hashEntry(rest) !== hash) return { valid: false, brokenAtSeq: e.seq, reason: 'hash' };
    prev = e;
  }
  return { valid: true, length: entries.length };
}
