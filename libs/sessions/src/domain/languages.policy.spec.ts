import { MAX_SESSION_LANGUAGES } from '@parley/contracts';
import { assertInterpreterPair, assertLanguagesKeepPairs, assertSessionLanguages } from './languages.policy';
import { codeOf } from './testing.factories';

const fieldOf = (rule: () => unknown): string | undefined => {
  try {
    rule();
    return undefined;
  } catch (e) {
    return (e as { field?: string }).field;
  }
};

describe('a session’s declared languages', () => {
  it('takes distinct codes, with or without a region, in the given order', () => {
    expect(assertSessionLanguages(['ar', 'en', 'pt-BR', 'fil'])).toEqual(['ar', 'en', 'pt-BR', 'fil']);
    expect(assertSessionLanguages([])).toEqual([]);
  });
  it.each([
    ['a code in capitals', ['EN']],
    ['a region in lower case', ['pt-br']],
    ['a name, not a code', ['English']],
    ['an empty string', ['']],
    ['a number', [12]],
    ['null', [null]],
    ['a language twice', ['fr', 'fr']],
    [
      'too many',
      Array.from(
        { length: MAX_SESSION_LANGUAGES + 1 },
        (_, i) => `a${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`,
      ),
    ],
  ])('refuses %s with LANGUAGE_INVALID on languages', (_what, languages) => {
    expect(codeOf(() => assertSessionLanguages(languages))).toBe('LANGUAGE_INVALID');
    expect(fieldOf(() => assertSessionLanguages(languages))).toBe('languages');
  });
  it(`takes exactly ${MAX_SESSION_LANGUAGES}`, () => {
    const twelve = ['ar', 'en', 'fr', 'es', 'ru', 'zh', 'de', 'it', 'pt', 'tr', 'fa', 'sw'];
    expect(twelve).toHaveLength(MAX_SESSION_LANGUAGES);
    expect(codeOf(() => assertSessionLanguages(twelve))).toBe('allow');
  });
});

describe('an interpreter’s pair', () => {
  const declared = ['ar', 'en', 'fr'];
  it('is two distinct declared languages', () => {
    expect(assertInterpreterPair(['ar', 'en'], declared)).toEqual(['ar', 'en']);
  });
  it.each([
    ['missing', undefined, 'LANGUAGE_INVALID'],
    ['one language', ['ar'], 'LANGUAGE_INVALID'],
    ['three languages', ['ar', 'en', 'fr'], 'LANGUAGE_INVALID'],
    ['the same language twice', ['ar', 'ar'], 'LANGUAGE_INVALID'],
    ['a bad code', ['ar', 'EN'], 'LANGUAGE_INVALID'],
    ['an undeclared language', ['ar', 'de'], 'LANGUAGE_NOT_DECLARED'],
  ])('refuses %s (%j) with %s on languages', (_what, pair, code) => {
    expect(codeOf(() => assertInterpreterPair(pair, declared))).toBe(code);
    expect(fieldOf(() => assertInterpreterPair(pair, declared))).toBe('languages');
  });
  it('is refused while the session declares nothing', () => {
    expect(codeOf(() => assertInterpreterPair(['ar', 'en'], []))).toBe('LANGUAGE_NOT_DECLARED');
  });
});

describe('changing the declared languages', () => {
  it('keeps every language an interpreter works in', () => {
    expect(codeOf(() => assertLanguagesKeepPairs(['ar', 'en'], [null, ['ar', 'en'], undefined]))).toBe('allow');
    expect(codeOf(() => assertLanguagesKeepPairs(['ar'], [null, ['ar', 'en']]))).toBe('LANGUAGE_IN_USE');
    expect(codeOf(() => assertLanguagesKeepPairs([], [null, null]))).toBe('allow');
  });

  it('keeps every language a pending interpreter invitation names, and says which', () => {
    expect(codeOf(() => assertLanguagesKeepPairs(['ar', 'en', 'fr'], [['ar', 'en']], [['en', 'fr']]))).toBe('allow');
    expect(codeOf(() => assertLanguagesKeepPairs(['ar', 'en'], [['ar', 'en']], [null, ['en', 'fr']]))).toBe('LANGUAGE_IN_USE');
    expect(() => assertLanguagesKeepPairs(['ar', 'en'], [], [['en', 'fr']])).toThrow(/pending interpreter invitation names fr/);
    // A seated interpreter is named first: their language is the one that cannot go.
    expect(() => assertLanguagesKeepPairs(['en'], [['ar', 'en']], [['en', 'fr']])).toThrow(/An interpreter works in ar/);
  });
});
