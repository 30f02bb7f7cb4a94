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

/** What an entry says, with its session and time: everything its content digest covers. */
export interface AuditContent extends AuditFact {
  sessionId: string;
  occurredAt: string;
}

/** An entry as stored: its content, its place in the session's chain and its hash. */
export interface AuditEntry extends AuditContent {
  seq: number;
  prevHash: string;
  hash: string;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** SHA-256 over the RFC 8785 canonical JSON of what the entry says. */
export function contentDigest(c: AuditContent): string {
  const canonical = canonicalize({
    sessionId: c.sessionId,
    type: c.type,
    actorUserId: c.actorUserId,
    actorParticipantId: c.actorParticipantId,
    payload: c.payload,
    occurredAt: c.occurredAt,
  });
  if (canonical === undefined) throw new Error('audit entry is not serialisable');
  return sha256(canonical);
}

/**
 * The chain link: SHA-256 of "<previous hash>:<seq>:<content digest>". Changing, removing,
 * inserting or reordering any entry breaks every link after it. The formula is simple enough for
 * the database to compute it while it appends (see AuditTrail), with the head row locked.
 */
export const linkHash = (prevHash: string, seq: number, digest: string): string => sha256(`${prevHash}:${seq}:${digest}`);

/** A fact as content, with its JSON made exactly what the database will give back. */
export function toContent(sessionId: string, fact: AuditFact, occurredAt: Date): AuditContent {
  return {
    sessionId,
    type: fact.type,
    actorUserId: fact.actorUserId,
    actorParticipantId: fact.actorParticipantId,
    payload: JSON.parse(JSON.stringify(fact.payload)) as Record<string, unknown>,
    occurredAt: occurredAt.toISOString(),
  };
}

/** Chains facts after `head` (the session's last entry, or null for the first) — in memory. */
export function chain(
  sessionId: string,
  head: { seq: number; hash: string } | null,
  facts: readonly AuditFact[],
  occurredAt: Date,
): AuditEntry[] {
  let prev = head ?? { seq: 0, hash: GENESIS_HASH };
  return facts.map((fact) => {
    const content = toContent(sessionId, fact, occurredAt);
    const seq = prev.seq + 1;
    const entry = { ...content, seq, prevHash: prev.hash, hash: linkHash(prev.hash, seq, contentDigest(content)) };
    prev = entry;
    return entry;
  });
}

export type ChainVerdict = { valid: true; length: number } | { valid: false; brokenAtSeq: number; reason: 'sequence' | 'link' | 'hash' };

/** A link of the chain, whatever a reader is shown of the entry. */
export interface ChainLink {
  seq: number;
  prevHash: string;
  hash: string;
}

/**
 * Checks links in order, from the first, with `digestOf` giving each entry's content digest:
 * computed from the content when it is readable, the stated commitment when it is sealed.
 */
export function verifyLinks<E extends ChainLink>(entries: readonly E[], digestOf: (e: E) => string): ChainVerdict {
  let prev: ChainLink = { seq: 0, prevHash: '', hash: GENESIS_HASH };
  for (const e of entries) {
    if (e.seq !== prev.seq + 1) return { valid: false, brokenAtSeq: e.seq, reason: 'sequence' };
    if (e.prevHash !== prev.hash) return { valid: false, brokenAtSeq: e.seq, reason: 'link' };
    if (linkHash(e.prevHash, e.seq, digestOf(e)) !== e.hash) return { valid: false, brokenAtSeq: e.seq, reason: 'hash' };
    prev = e;
  }
  return { valid: true, length: entries.length };
}

/** Checks a session's entries, in order, from the first. */
export const verifyChain = (entries: readonly AuditEntry[]): ChainVerdict => verifyLinks(entries, contentDigest);
