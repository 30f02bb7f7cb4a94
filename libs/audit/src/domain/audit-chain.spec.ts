import { createHash } from 'node:crypto';
import { GENESIS_HASH, chain, contentDigest, linkHash, verifyChain, type AuditFact } from './audit-chain';

const fact = (type: string, payload: Record<string, unknown> = {}): AuditFact => ({
  type,
  actorUserId: 'u1',
  actorParticipantId: 'p1',
  payload,
});
const at = new Date('2026-11-28T10:00:00.000Z');

describe('audit chain', () => {
  const sut = chain(
    's1',
    null,
    [fact('session.created', { title: 'Talks' }), fact('party.added', { name: 'North' }), fact('participant.moved')],
    at,
  );

  it('starts from the genesis hash and numbers from 1', () => {
    expect(sut[0]).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(sut.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('links each entry to the previous hash', () => {
    expect(sut[1].prevHash).toBe(sut[0].hash);
    expect(sut[2].prevHash).toBe(sut[1].hash);
  });

  it('is a SHA-256 hex digest', () => {
    expect(sut[0].hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the order of payload keys', () => {
    const a = chain('s1', null, [fact('x', { a: 1, b: { c: 2, d: 3 } })], at)[0];
    const b = chain('s1', null, [fact('x', { b: { d: 3, c: 2 }, a: 1 })], at)[0];
    expect(a.hash).toBe(b.hash);
  });

  it('continues an existing chain', () => {
    const next = chain('s1', sut[2], [fact('session.opened')], at);
    expect(next[0]).toMatchObject({ seq: 4, prevHash: sut[2].hash });
    expect(verifyChain([...sut, ...next])).toEqual({ valid: true, length: 4 });
  });

  it('verifies an untouched chain', () => {
    expect(verifyChain(sut)).toEqual({ valid: true, length: 3 });
  });

  it('detects an edited payload', () => {
    const forged = sut.map((e) => ({ ...e }));
    forged[1] = { ...forged[1], payload: { name: 'South' } };
    expect(verifyChain(forged)).toEqual({ valid: false, brokenAtSeq: 2, reason: 'hash' });
  });

  it('detects a removed entry', () => {
    expect(verifyChain([sut[0], sut[2]])).toEqual({ valid: false, brokenAtSeq: 3, reason: 'sequence' });
  });

  it('detects an entry re-hashed after editing (the next link breaks)', () => {
    const forged = sut.map((e) => ({ ...e }));
    const edited = { ...forged[1], payload: { name: 'South' } };
    forged[1] = { ...edited, hash: linkHash(edited.prevHash, edited.seq, contentDigest(edited)) };
    expect(verifyChain(forged)).toEqual({ valid: false, brokenAtSeq: 3, reason: 'link' });
  });

  it('is the documented formula, so the database can compute the same link', () => {
    expect(sut[0].hash).toBe(linkHash(GENESIS_HASH, 1, contentDigest(sut[0])));
    expect(linkHash('a', 2, 'b')).toBe(createHash('sha256').update('a:2:b').digest('hex'));
  });

  it('binds the entry to its session', () => {
    const other = chain('s2', null, [fact('session.created', { title: 'Talks' })], at)[0];
    expect(other.hash).not.toBe(sut[0].hash);
  });
});
