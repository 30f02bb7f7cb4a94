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
  });
});
