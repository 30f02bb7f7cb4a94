import { interpretationAr, interpretationEn, interpretationFr, interpretationText, languageName } from './interpretation.messages';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("interpretation's sentences", () => {
  it.each([
    ['fr', interpretationFr],
    ['ar', interpretationAr],
  ] as const)('%s has every key of English, with the same placeholders, none empty, none left in English', (_, cat) => {
    expect(Object.keys(cat).sort()).toEqual(Object.keys(interpretationEn).sort());
    for (const key of Object.keys(interpretationEn) as Array<keyof typeof interpretationEn>) {
      expect({ key, p: placeholders(cat[key]) }).toEqual({ key, p: placeholders(interpretationEn[key]) });
      expect(cat[key].trim()).not.toBe('');
      expect({ key, same: cat[key] === interpretationEn[key] }).toEqual({ key, same: false });
    }
  });

  it('says which channel ended, in the reader’s language', () => {
    expect(interpretationText('en', 'listen.fallback', { language: 'French' })).toBe(
      'The French interpretation ended: you hear the floor.',
    );
    expect(interpretationText('ar', 'listen.fallback', { language: 'الفرنسية' })).toContain('الفرنسية');
  });

  it('names a language in the reader’s language, and an unknown code by itself', () => {
    expect(languageName('en', 'fr')).toBe('French');
    expect(languageName('fr', 'ar')).toMatch(/^arabe/i);
    expect(languageName('en', 'zz-not-a-code')).toBe('zz-not-a-code');
    // Not of the form sessions declare: shown as it is, whatever the runtime's ICU makes of it (an
    // older one read the first two as an extended language, "not" and "def").
    expect(languageName('en', 'abc-def')).toBe('abc-def');
    expect(languageName('fr', 'not-a-code')).toBe('not-a-code');
    expect(languageName('en', 'zz')).toBe('zz');
  });
});
