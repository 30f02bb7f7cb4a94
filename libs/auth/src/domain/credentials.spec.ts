import { digestToken, newOpaqueToken, normaliseEmail, passwordProblem } from './credentials';

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

describe('the password policy of a new account', () => {
  const refused: Array<[string, string, RegExp]> = [
    ['empty', '', /at least 10/],
    ['nine characters', 'abcdefgh9', /at least 10/],
    ['nine emoji, eighteen UTF-16 units', '🕊🕊🕊🕊🕊🕊🕊🕊🕊', /at least 10/],
    ['ten spaces', '          ', /only spaces/],
    ['tabs and no-break spaces', '\t\t\u00a0\u00a0\u3000\u3000     ', /only spaces/],
    ['one character repeated', 'aaaaaaaaaaaa', /single character/],
    ['one character repeated, either case', 'AaAaAaAaAa', /single character/],
    ['password12', 'password12', /most common/],
    ['Password123 in another case', 'Password123', /most common/],
    ['1234567890', '1234567890', /most common/],
    ['qwertyuiop', 'qwertyuiop', /most common/],
  ];
  it.each(refused)('refuses %s', (_, password, why) => {
    expect(passwordProblem(password)).toMatch(why);
  });

  const accepted: Array<[string, string]> = [
    ['a passphrase', 'correct horse battery staple'],
    ['ten characters', 'lnx-7-Kw2q'],
    ['spaces inside, kept as typed', '  long enough password  '],
    ['Arabic', 'كلمة مرور طويلة'],
    ['no composition rule: all lower case', 'long enough password'],
  ];
  it.each(accepted)('accepts %s', (_, password) => {
    expect(passwordProblem(password)).toBeUndefined();
  });
});
