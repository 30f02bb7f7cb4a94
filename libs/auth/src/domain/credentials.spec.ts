import { digestToken, newOpaqueToken, normaliseEmail } from './credentials';

describe('credentials', () => {
  it('normalises e-mail addresses', () => {
    expect(normaliseEmail('  Amina.Diallo@Example.ORG ')).toBe('amina.diallo@example.org');
  });
  it('makes 256-bit URL-safe tokens, all different', () => {
    const tokens = new Set(Array.from({ length: 100 }, newOpaqueToken));
    expect(tokens.size).toBe(100);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
  it('digests deterministically', () => {
    expect(digestToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
