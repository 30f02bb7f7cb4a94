/**
 * The rule for names people read as someone's identity: display names, party names, session titles
 * and joint-room names. In a mediation, a name that shows something other than what it holds is an
 * impersonation ("Nord" that is really "Sud" reversed by U+202E, or "Nord" with a zero-width space
 * that sorts and compares apart from the real "Nord"), so such names are refused, not cleaned.
 *
 * Refused:
 * - every format character (Unicode category Cf): the bidi embeddings, overrides and isolates
 *   (U+202A–U+202E, U+2066–U+2069), the bidi marks (U+200E, U+200F, U+061C), U+200B, U+2060–U+2064,
 *   U+FEFF, U+180E, the soft hyphen U+00AD, tag characters. The page isolates the direction of
 *   every name itself (`dir="auto"`, `<bdi>`), so a name never needs a mark to show correctly;
 * - except ZWNJ (U+200C) and ZWJ (U+200D), which Persian, Arabic and Indic spelling and emoji
 *   sequences need: allowed only between two visible characters, where they join or separate them,
 *   and only next to a character of a script that joins (JOINING_CONTEXT) or an emoji; between two
 *   Latin, Cyrillic or Greek letters, digits or punctuation they join nothing, so "A‍na" would show
 *   as "Ana" and compare apart from it;
 * - control characters (Cc: NUL, tab, newline…), line and paragraph separators, lone surrogates and
 *   private-use characters, and the blank-looking letters (Hangul fillers, Braille blank);
 * - a name with nothing visible in it once trimmed.
 * Allowed: any script, accents, mixed Arabic and Latin text, emoji, ordinary spaces and punctuation.
 */

const JOINERS = new Set([0x200c, 0x200d]);
/**
 * Where a joiner does something: the scripts whose letters it joins or keeps apart (Arabic script —
 * Arabic, Persian, Urdu, Kurdish —, Syriac, N'Ko, Mongolian, the Brahmic scripts of South and
 * South-East Asia), with their combining marks (Script_Extensions), and emoji sequences (a
 * pictograph, a skin tone, or the variation selector U+FE0F before the joiner).
 */
const JOINING_CONTEXT =
  /[\p{scx=Arabic}\p{scx=Syriac}\p{scx=Nko}\p{scx=Mongolian}\p{scx=Devanagari}\p{scx=Bengali}\p{scx=Gurmukhi}\p{scx=Gujarati}\p{scx=Oriya}\p{scx=Tamil}\p{scx=Telugu}\p{scx=Kannada}\p{scx=Malayalam}\p{scx=Sinhala}\p{scx=Khmer}\p{scx=Myanmar}\p{scx=Tibetan}\p{scx=Thai}\p{scx=Lao}\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u{FE0F}]/u;
/** Letters and symbols that render as nothing: the classic way to make a blank or look-alike name. */
const BLANK_LOOKING = new Set([0x115f, 0x1160, 0x3164, 0xffa0, 0x2800]);
const FORBIDDEN_CATEGORY = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}]/u;
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
const SPACE = /\s/u;

/** The stored form of a name: NFC, without surrounding blanks. Not a string: returned as it is. */
export function normaliseName<T>(value: T): T | string {
  return typeof value === 'string' ? value.normalize('NFC').trim() : value;
}

const hex = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why this (already normalised) name is refused, as a sentence about `field`; undefined when it is
 * acceptable. Length limits are the caller's.
 */
export function nameProblem(name: string, field = 'name'): string | undefined {
  const cps = Array.from(name, (c) => c.codePointAt(0) ?? 0);
  if (!cps.some((cp) => VISIBLE.test(String.fromCodePoint(cp)) && !BLANK_LOOKING.has(cp))) {
    return `${field} must contain a visible character`;
  }
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i];
    const ch = String.fromCodePoint(cp);
    if (JOINERS.has(cp)) {
      const joins = (n: number | undefined) => n !== undefined && !JOINERS.has(n) && !SPACE.test(String.fromCodePoint(n));
      const inContext = (n: number | undefined) => n !== undefined && JOINING_CONTEXT.test(String.fromCodePoint(n));
      if (joins(cps[i - 1]) && joins(cps[i + 1]) && (inContext(cps[i - 1]) || inContext(cps[i + 1]))) continue;
      return `${field} may hold ${hex(cp)} only between two visible characters of a script it joins (or an emoji sequence)`;
    }
    if (FORBIDDEN_CATEGORY.test(ch)) return `${field} must not contain the invisible or direction-control character ${hex(cp)}`;
    if (BLANK_LOOKING.has(cp)) return `${field} must not contain the blank character ${hex(cp)}`;
  }
  return undefined;
}
