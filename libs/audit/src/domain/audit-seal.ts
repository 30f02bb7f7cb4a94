import { randomBytes } from 'node:crypto';
import { contentDigest, verifyLinks, type AuditEntry, type AuditFact, type ChainVerdict } from './audit-chain';

/**
 * Sealed entries: a fact that must be in the chain when it happens, but that the trail's readers
 * may not read yet — or ever. A shuttle message cooling off is the case (PRODUCT.md: until its
 * release the mediators have not received it, and its sender may still take it back).
 *
 * A sealed fact carries `seal: { key, nonce }` in its payload. The nonce (256 random bits) is part
 * of the content the entry's digest covers, so the digest is a commitment: it reveals nothing, and
 * guessing the content (a short message, its label, its author) cannot be confirmed against it.
 * Readers are shown a sealed entry as its place in the chain and that digest only — no type, actor,
 * time or payload — and the chain verifies over it all the same. A later entry whose payload lists
 * the key in `unseals` opens every earlier entry sealed under it: from then on they read in full,
 * nonce included, so anyone can recompute the digest they were shown while it was sealed. An entry
 * whose key is never opened stays sealed for good.
 */
export interface Seal {
  key: string;
  nonce: string;
}

/** `fact`, sealed under `key` (the nonce is fresh unless given — a spec gives one). */
export function sealed(fact: AuditFact, key: string, nonce: string = randomBytes(32).toString('hex')): AuditFact {
  return { ...fact, payload: { ...fact.payload, seal: { key, nonce } satisfies Seal } };
}

/** `fact`, opening every earlier entry sealed under `keys`. */
export function opening(fact: AuditFact, ...keys: string[]): AuditFact {
  return { ...fact, payload: { ...fact.payload, unseals: keys } };
}

/** What a reader is shown of a sealed entry: its place in the chain and the commitment its link covers. */
export interface SealedEntry {
  seq: number;
  type: 'sealed';
  /** The entry's content digest: salted by the seal's nonce, so it confirms no guess. */
  digest: string;
  prevHash: string;
  hash: string;
}

/** An entry a reader may read: all of it but the session, which the reader asked for. */
export type ReadableEntry = Omit<AuditEntry, 'sessionId'>;

export type TrailEntry = ReadableEntry | SealedEntry;

export const isSealedEntry = (e: TrailEntry): e is SealedEntry => 'digest' in e && e.type === 'sealed';

function sealOf(e: AuditEntry): Seal | null {
  const seal = e.payload.seal as Partial<Seal> | undefined;
  return seal && typeof seal.key === 'string' && typeof seal.nonce === 'string' ? { key: seal.key, nonce: seal.nonce } : null;
}

const keysOpenedBy = (e: AuditEntry): string[] => {
  const keys = e.payload.unseals;
  return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
};

/**
 * A session's trail as its readers see it (entries in order, from the first): every entry sealed
 * under a key that no later entry opens is shown as a SealedEntry.
 */
export function readableTrail(entries: readonly AuditEntry[]): TrailEntry[] {
  const lastOpening = new Map<string, number>();
  for (const e of entries) for (const key of keysOpenedBy(e)) lastOpening.set(key, e.seq);
  return entries.map((e): TrailEntry => {
    const seal = sealOf(e);
    if (seal && !((lastOpening.get(seal.key) ?? 0) > e.seq)) {
      return { seq: e.seq, type: 'sealed', digest: contentDigest(e), prevHash: e.prevHash, hash: e.hash };
    }
    const { sessionId: _session, ...readable } = e;
    return readable;
  });
}

/**
 * Checks a trail as a reader sees it, sealed entries included: a readable entry's digest is
 * computed from its content, a sealed one's is the commitment shown. Changing a sealed entry's
 * content (its digest then changes) or its commitment breaks its link, as for any other entry.
 */
export const verifyTrail = (sessionId: string, entries: readonly TrailEntry[]): ChainVerdict =>
  verifyLinks(entries, (e) => (isSealedEntry(e) ? e.digest : contentDigest({ ...e, sessionId })));
