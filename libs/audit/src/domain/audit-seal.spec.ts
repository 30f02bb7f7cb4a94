import { createHash } from 'node:crypto';
import { chain, contentDigest, verifyChain, type AuditEntry, type AuditFact } from './audit-chain';
import { isSealedEntry, opening, readableTrail, sealed, verifyTrail, type SealedEntry, type TrailEntry } from './audit-seal';

const at = new Date('2026-12-01T10:00:00.000Z');
const TEXT = 'Yes MKSEAL';
const sha256 = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');
const fact = (type: string, payload: Record<string, unknown> = {}, actor: string | null = 'p1'): AuditFact => ({
  type,
  actorUserId: actor && `u-${actor}`,
  actorParticipantId: actor,
  payload,
});
const submitted = (nonce?: string) =>
  sealed(fact('x.submitted', { label: 'conveyable', to: 'partyB', textSha256: sha256(TEXT) }, 'author'), 'k1', nonce);

/** A trail: an open entry, a sealed one, another open one, then optionally more. */
const trail = (...more: AuditFact[]): AuditEntry[] =>
  chain('s1', null, [fact('session.created'), submitted(), fact('room.created'), ...more], at);
const sealedAt = (entries: TrailEntry[], seq: number) => entries.find((e) => e.seq === seq) as SealedEntry;

describe('sealed audit entries', () => {
  describe('while sealed', () => {
    const full = trail();
    const sut = readableTrail(full);

    it('show only their place in the chain and their commitment', () => {
      expect(sealedAt(sut, 2)).toEqual({
        seq: 2,
        type: 'sealed',
        digest: contentDigest(full[1]),
        prevHash: full[1].prevHash,
        hash: full[1].hash,
      });
      expect(isSealedEntry(sut[1])).toBe(true);
    });

    it('reveal no author, label, target, time or hash of the text', () => {
      const shown = JSON.stringify(sut[1]);
      for (const secret of ['author', 'conveyable', 'partyB', sha256(TEXT), at.toISOString(), 'x.submitted', 'k1']) {
        expect({ secret, shown: shown.includes(secret) }).toEqual({ secret, shown: false });
      }
    });

    it('commit with a fresh nonce: the same content gives another digest, so a guess confirms nothing', () => {
      const a = chain('s1', null, [submitted()], at)[0];
      const b = chain('s1', null, [submitted()], at)[0];
      expect(contentDigest(a)).not.toBe(contentDigest(b));
      const guessed = chain(
        's1',
        null,
        [fact('x.submitted', { label: 'conveyable', to: 'partyB', textSha256: sha256(TEXT) }, 'author')],
        at,
      )[0];
      expect([contentDigest(a), contentDigest(b)]).not.toContain(contentDigest(guessed));
    });

    it('leave the other entries readable as they are', () => {
      const { sessionId: _s, ...first } = full[0];
      expect(sut[0]).toEqual(first);
      expect(sut[2]).toMatchObject({ seq: 3, type: 'room.created' });
    });

    it('verify, by the server over everything and by a reader over what they see', () => {
      expect(verifyChain(full)).toEqual({ valid: true, length: 3 });
      expect(verifyTrail('s1', sut)).toEqual({ valid: true, length: 3 });
    });
  });

  describe('tampered', () => {
    const full = trail();

    it('content of a sealed entry (its commitment changes): its link breaks', () => {
      const forged = full.map((e) => ({ ...e }));
      forged[1] = { ...forged[1], payload: { ...forged[1].payload, label: 'mediator_only' } };
      expect(verifyChain(forged)).toEqual({ valid: false, brokenAtSeq: 2, reason: 'hash' });
      expect(verifyTrail('s1', readableTrail(forged))).toEqual({ valid: false, brokenAtSeq: 2, reason: 'hash' });
    });

    it('a commitment shown to a reader: its link breaks', () => {
      const shown = readableTrail(full);
      const forged = shown.map((e) => (isSealedEntry(e) ? { ...e, digest: sha256('something else') } : e));
      expect(verifyTrail('s1', forged)).toEqual({ valid: false, brokenAtSeq: 2, reason: 'hash' });
    });

    it('a seal taken off the stored entry to read it: its link breaks', () => {
      const forged = full.map((e) => ({ ...e }));
      const { seal: _seal, ...payload } = forged[1].payload;
      forged[1] = { ...forged[1], payload };
      expect(verifyTrail('s1', readableTrail(forged))).toEqual({ valid: false, brokenAtSeq: 2, reason: 'hash' });
    });

    it('a sealed entry removed: the sequence breaks', () => {
      expect(verifyTrail('s1', readableTrail([full[0], full[2]]))).toEqual({ valid: false, brokenAtSeq: 3, reason: 'sequence' });
    });

    it('verified for another session: the first link breaks', () => {
      expect(verifyTrail('s2', readableTrail(full))).toMatchObject({ valid: false, brokenAtSeq: 1 });
    });
  });

  describe('opened by a later entry', () => {
    const full = trail(fact('x.withdrawn'), opening(fact('x.released', {}, null), 'k1'));
    const before = readableTrail(full.slice(0, 3));
    const sut = readableTrail(full);

    it('reads in full, seal and nonce included, and its digest is the commitment shown while sealed', () => {
      expect(sut[1]).toMatchObject({ type: 'x.submitted', actorParticipantId: 'author', payload: { textSha256: sha256(TEXT) } });
      const { seal } = (sut[1] as AuditEntry).payload as { seal: { key: string; nonce: string } };
      expect(seal).toEqual({ key: 'k1', nonce: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(contentDigest({ ...(sut[1] as AuditEntry), sessionId: 's1' })).toBe(sealedAt(before, 2).digest);
    });

    it('verifies', () => {
      expect(verifyTrail('s1', sut)).toEqual({ valid: true, length: 5 });
    });

    it('only entries sealed under the opened key, and only earlier ones', () => {
      const other = chain('s1', null, [sealed(fact('y'), 'k2'), opening(fact('open k1'), 'k1'), sealed(fact('z'), 'k1')], at);
      expect(readableTrail(other).map((e) => e.type)).toEqual(['sealed', 'open k1', 'sealed']);
    });

    it('never, when no entry opens the key: sealed for good', () => {
      const withdrawn = trail(sealed(fact('x.withdrawn', {}, 'author'), 'k1'));
      expect(readableTrail(withdrawn).map((e) => e.type)).toEqual(['session.created', 'sealed', 'room.created', 'sealed']);
      expect(verifyTrail('s1', readableTrail(withdrawn))).toEqual({ valid: true, length: 4 });
    });
  });
});
