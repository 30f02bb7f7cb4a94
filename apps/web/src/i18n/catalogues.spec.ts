import { format } from './format';
import { ar } from './messages.ar';
import { en } from './messages.en';
import { fr } from './messages.fr';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
  it.each([['fr', fr], ['ar', ar]] as const)('%s has every key of English, with the same placeholders, none empty', (_, cat) => {
    expect(Object.keys(cat).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect({ key, p: placeholders(cat[key]) }).toEqual({ key, p: placeholders(en[key]) });
      expect(cat[key].trim()).not.toBe('');
    }
  });

  it('Arabic is written in Arabic script (not left in English)', () => {
    const arabic = Object.values(ar).filter((s) => /[\u0600-\u06FF]/.test(s));
    expect(arabic.length / Object.keys(ar).length).toBeGreaterThan(0.9);
  });

  it('French differs from English where words are to be read', () => {
    const same = (Object.keys(en) as Array<keyof typeof en>).filter((k) => fr[k] === en[k] && /[a-z]{4}/.test(en[k]));
    expect(same.length).toBeLessThan(10);
  });
});

describe('format', () => {
  it('fills placeholders, repeated or not, and leaves an unknown one visible', () => {
    expect(format('{a} and {b}, {a}', { a: 1, b: 'two' })).toBe('1 and two, 1');
    expect(format('Caucus — {party}', {})).toBe('Caucus — {party}');
    expect(format('plain')).toBe('plain');
  });
});
