import type { WordingInput } from '@parley/contracts';
import { MAX_OPTION_LENGTH, MAX_OPTIONS, MAX_SEGMENTS } from '@parley/agreement/domain/wording';

/**
 * A passage of the mediators' draft turned into a clause's wording. People who draft in a word
 * processor write a bracket as "[wording]" and alternatives as "[five years / ten years]"; the
 * page offers to make those real brackets, and until the mediator accepts, every square bracket
 * stays a character. Pure and linear in the passage's length; never throws on what was typed.
 */

/** The passage: the words selected in the draft (trimmed), or the whole draft when nothing (or only spaces) is selected. */
export function passageOf(draft: string, start: number, end: number): { text: string; selected: boolean } {
  const [a, b] = start <= end ? [start, end] : [end, start];
  const picked = draft.slice(Math.max(0, a), Math.max(0, b)).trim();
  return picked ? { text: picked, selected: true } : { text: draft.trim(), selected: false };
}

export interface PassageBrackets {
  /** How many square-bracket groups would become real brackets (at most MAX_SEGMENTS). */
  count: number;
  /** The first of them as written, shortened for a sentence. */
  example: string;
  /** The passage with them made real: `{{1}}`, `{{2}}` … in the text, one segment each. */
  wording: WordingInput;
}

/** Labels a negotiator may have copied from a rendered text: "Alt. A:", "A:", "Var. B :", "بديل ب:" … */
const LETTERS = ['ABCDEFGH', 'أبجدهوزح'];
const LABEL = /^(?:(?:alt|var|alternative|variante|option)\.?\s*|بديل\s*)?(\S)\s*[:.)]\s*/i;

function withoutLabels(options: string[]): string[] {
  const stripped: string[] = [];
  for (const [i, o] of options.entries()) {
    const m = LABEL.exec(o);
    const letter = m?.[1];
    if (!m || !letter || !LETTERS.some((l) => l[i] === letter.toUpperCase())) return options;
    stripped.push(o.slice(m[0].length).trim());
  }
  return stripped;
}

const WORDY = /[\p{L}]/u;

/**
 * The options a bracket's inside stands for, or null when it should stay literal: no letter in it
 * ("[1]", "[…]", "[2026]"), "[sic]", braces (an option may not hold them), a line break, an empty
 * or too long option, too many options. Alternatives are split at " / " (spaced), else at "|",
 * else at an unspaced "/" when every side is words not starting or ending with a digit
 * ("[shall/may]", not "[Article 3/2]").
 */
export function optionsOf(inside: string): string[] | null {
  const body = inside.trim();
  if (!WORDY.test(body) || /^sic$/i.test(body) || /[{}\n]/.test(body)) return null;
  let options: string[];
  if (/\s\/\s/.test(body)) options = body.split(/\s+\/\s+/);
  else if (body.includes('|')) options = body.split('|');
  else if (body.includes('/')) {
    const sides = body.split('/').map((o) => o.trim());
    if (sides.some((o) => !o)) return null;
    // "shall/may", "five years/ten years"; not "Article 3/2", "24/7".
    options = sides.every((o) => WORDY.test(o) && !/^\d|\d$/.test(o)) ? sides : [body];
  } else options = [body];
  options = options.map((o) => o.trim());
  if (options.length > 1) options = withoutLabels(options);
  if (options.length > MAX_OPTIONS || options.some((o) => !o || o.length > MAX_OPTION_LENGTH)) return null;
  return options;
}

const shorten = (s: string, max = 60) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/**
 * The square-bracket groups of a passage that can be real brackets: top-level, balanced, nothing
 * nested (a nested group stays literal as a whole), options as optionsOf() reads them; the first
 * MAX_SEGMENTS of them. Returns null when there is none. A passage holding "{{" or "}}" is left
 * alone: the server reads those as placeholders.
 */
export function passageBrackets(passage: string): PassageBrackets | null {
  if (/\{\{|\}\}/.test(passage)) return null;
  let text = '';
  const segments: NonNullable<WordingInput['segments']> = [];
  let example = '';
  let copied = 0;
  let open = -1;
  let depth = 0;
  let nested = false;
  for (let i = 0; i < passage.length; i++) {
    const ch = passage[i];
    if (ch === '[') {
      if (depth === 0) {
        open = i;
        nested = false;
      } else nested = true;
      depth++;
    } else if (ch === ']' && depth > 0) {
      depth--;
      if (depth > 0 || nested || segments.length >= MAX_SEGMENTS) continue;
      const options = optionsOf(passage.slice(open + 1, i));
      if (!options) continue;
      if (!segments.length) example = shorten(passage.slice(open, i + 1));
      segments.push({ options: options.map((o) => ({ text: o })) });
      text += `${passage.slice(copied, open)}{{${segments.length}}}`;
      copied = i + 1;
    }
  }
  if (!segments.length) return null;
  text += passage.slice(copied);
  return { count: segments.length, example, wording: { text, segments } };
}
