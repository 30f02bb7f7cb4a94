import { nameProblem, normaliseName } from './names';

const sut = (raw: string) => nameProblem(normaliseName(raw), 'name');

describe('names that cannot impersonate', () => {
  const accepted: Array<[string, string]> = [
    ['Latin', 'Northern Delegation'],
    ['accents', 'Délégation du Nord — Équipe'],
    ['Arabic', 'وفد الشمال'],
    ['mixed Arabic and Latin', 'Nord — الشمال'],
    ['Hebrew', 'משלחת הצפון'],
    ['Chinese', '北方代表团'],
    ['Japanese with an ideographic space', '北の代表\u3000団'],
    ['Persian with ZWNJ between letters', 'می\u200cخواهم'],
    ['Hindi with ZWJ between letters', 'क\u094d\u200dष'],
    ['emoji', 'Team 🕊️'],
    ['emoji ZWJ sequence', 'Family 👨\u200d👩\u200d👧'],
    ['emoji ZWJ sequence after a variation selector', 'Pride 🏳\ufe0f\u200d🌈'],
    ['emoji ZWJ sequence after a skin tone', 'Team 🧑🏽\u200d💻'],
    ['Urdu with ZWNJ', 'پاکستان\u200cی'],
    ['Malayalam with ZWJ', 'ര\u0d4d\u200dക'],
    ['Sinhala with ZWJ', 'ශ්\u200dරී'],
    ['flag', 'Harbour 🇳🇴'],
    ['surrounding blanks (trimmed)', '  Amina Diallo  '],
    ['a single letter', 'A'],
  ];
  it.each(accepted)('accepts %s', (_, name) => {
    expect(sut(name)).toBeUndefined();
  });

  const refused: Array<[string, string, RegExp]> = [
    ['right-to-left override', 'Nord\u202Edus', /U\+202E/],
    ['left-to-right override', '\u202DNord', /U\+202D/],
    ['right-to-left embedding', 'a\u202Bb', /U\+202B/],
    ['left-to-right embedding', 'a\u202Ab', /U\+202A/],
    ['pop directional formatting', 'a\u202Cb', /U\+202C/],
    ['right-to-left isolate', 'a\u2067b', /U\+2067/],
    ['first strong isolate', 'a\u2068b', /U\+2068/],
    ['pop directional isolate', 'a\u2069b', /U\+2069/],
    ['left-to-right isolate', 'a\u2066b', /U\+2066/],
    ['left-to-right mark', 'Nord\u200E', /U\+200E/],
    ['right-to-left mark', '\u200Fالشمال', /U\+200F/],
    ['Arabic letter mark', 'ال\u061Cشمال', /U\+061C/],
    ['zero-width space', 'No\u200Brd', /U\+200B/],
    ['word joiner', 'No\u2060rd', /U\+2060/],
    ['invisible separator', 'No\u2063rd', /U\+2063/],
    ['byte-order mark inside', 'No\uFEFFrd', /U\+FEFF/],
    ['Mongolian vowel separator', 'No\u180Erd', /U\+180E/],
    ['soft hyphen', 'No\u00ADrd', /U\+00AD/],
    ['tag character', 'Nord\u{E0041}x', /U\+E0041/],
    ['NUL', 'No\u0000rd', /U\+0000/],
    ['newline', 'Nord\nSud', /U\+000A/],
    ['tab', 'Nord\tSud', /U\+0009/],
    ['line separator', 'Nord\u2028Sud', /U\+2028/],
    ['lone surrogate', 'Nord\uD800', /U\+D800/],
    ['private use', 'Nord\uE000', /U\+E000/],
    ['Hangul filler', 'Nord\u3164', /U\+3164/],
    ['ZWNJ at the end', 'Nord\u200C', /U\+200C/],
    ['ZWJ at the start', '\u200DNord', /U\+200D/],
    ['ZWJ next to a space', 'Nord \u200DSud', /U\+200D/],
    ['two joiners in a row', 'No\u200C\u200Drd', /U\+200C/],
    // Between two Latin (or Cyrillic, Greek …) letters a joiner joins nothing: "A‍na" shows as "Ana".
    ['ZWJ between Latin letters', 'A\u200Dna', /U\+200D/],
    ['ZWNJ between Latin letters', 'No\u200Crd', /U\+200C/],
    ['ZWJ between Cyrillic letters', 'Се\u200Dвер', /U\+200D/],
    ['ZWNJ between digits', '12\u200C3', /U\+200C/],
    ['ZWJ between Latin punctuation', 'Nord-\u200D-Sud', /U\+200D/],
    ['empty', '', /visible/],
    ['only spaces', '          ', /visible/],
    ['only an ideographic space', '\u3000', /visible/],
    ['only joiners', '\u200D\u200C', /visible/],
    ['only a Hangul filler', '\u3164', /visible/],
    ['only a Braille blank', '\u2800', /visible/],
    ['only a combining mark', '\u0301', /visible/],
  ];
  it.each(refused)('refuses %s, naming the character', (_, name, why) => {
    expect(sut(name)).toMatch(why);
  });

  it('names the field it was given', () => {
    expect(nameProblem('a\u202Eb', 'displayName')).toMatch(/^displayName /);
  });

  it('stores the NFC form, trimmed', () => {
    expect(normaliseName('  Be\u0301atrice\u00A0')).toBe('Béatrice');
    expect(normaliseName(42)).toBe(42);
  });
});
