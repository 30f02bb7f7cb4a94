import { ERROR_CODES } from '@parley/contracts';
import { errorText, offeredLanguages, pickLanguage, say, STRINGS } from './consult-strings';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the respondent page's strings", () => {
  it.each(['fr', 'ar'] as const)('%s has every key of English, with the same placeholders, none empty nor left in English', (lang) => {
    const cat = STRINGS[lang];
    expect(Object.keys(cat).sort()).toEqual(Object.keys(STRINGS.en).sort());
    for (const key of Object.keys(STRINGS.en) as Array<keyof typeof STRINGS.en>) {
      expect({ key, p: placeholders(cat[key]) }).toEqual({ key, p: placeholders(STRINGS.en[key]) });
      expect(cat[key].trim()).not.toBe('');
    }
    const same = Object.keys(STRINGS.en).filter((k) => cat[k as keyof typeof cat] === STRINGS.en[k as keyof typeof cat] && k !== 'title');
    expect(same).toEqual([]);
  });

  it('Arabic is in Arabic script', () => {
    for (const s of Object.values(STRINGS.ar)) expect({ s, arabic: /[\u0600-\u06FF]/.test(s) }).toEqual({ s, arabic: true });
  });

  // The codes a respondent can meet (libs/contracts/src/consultation.ts): each in words, in each language.
  const respondentCodes = ERROR_CODES.filter(
    (c) =>
      c.startsWith('CONSULTATION_') ||
      c.startsWith('RESPONDENT_') ||
      c.startsWith('VOTE_') ||
      c.startsWith('STATEMENT_N') ||
      c === 'STATEMENT_LIMIT_REACHED',
  ).filter((c) => c !== 'CONSULTATION_NOT_CLOSED');

  it.each(['en', 'fr', 'ar'] as const)('%s says every refusal a respondent can meet in words, never its code', (lang) => {
    expect(respondentCodes.length).toBeGreaterThanOrEqual(11);
    for (const code of [...respondentCodes, 'VALIDATION_FAILED', 'RATE_LIMITED', 'NETWORK']) {
      const s = errorText(lang, code);
      expect({ code, generic: s === STRINGS[lang]['err.unknown'], shown: s.includes(code) }).toEqual({
        code,
        generic: false,
        shown: false,
      });
    }
    expect(errorText(lang, 'SOMETHING_NEW')).toBe(STRINGS[lang]['err.unknown']);
  });

  it('fills placeholders', () => {
    expect(say('en', 'write.count', { n: 12, max: 280 })).toBe('12 / 280 characters');
    expect(say('fr', 'group', { name: 'Jeunes' })).toBe('Votre groupe : Jeunes');
  });
});

describe('the language the respondent page speaks', () => {
  it.each([
    // consultation's languages, the reader's, the switcher's saved choice → the page's
    [['ar', 'en', 'fr'], ['ar'], null, 'ar'],
    [['ar', 'en', 'fr'], ['fr-FR', 'en'], null, 'fr'],
    [['en', 'ar'], ['fr-FR', 'ar-LB'], null, 'ar'],
    [['en', 'ar'], ['de-DE'], null, 'en'],
    [['ar', 'en'], ['de-DE'], null, 'ar'],
    [['ar', 'en'], ['en-GB'], 'ar', 'ar'],
    // A saved choice the consultation does not run in is ignored.
    [['ar', 'en'], ['en-GB'], 'fr', 'en'],
    // No language of the consultation that the page speaks: English.
    [['es'], ['es-ES'], null, 'en'],
  ] as const)('%j read by %j (saved %s) → %s', (consultation, reader, saved, expected) => {
    expect(pickLanguage(consultation, reader, saved)).toBe(expected);
  });

  it('offers the consultation’s languages this page speaks, English when none', () => {
    expect(offeredLanguages(['ar', 'en', 'fr', 'es'])).toEqual(['ar', 'en', 'fr']);
    expect(offeredLanguages(['es'])).toEqual(['en']);
  });
});
