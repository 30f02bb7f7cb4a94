import { DomainError } from '@parley/platform/domain';
import type { WordingInput } from '@parley/contracts';
import type { Option, Segment, Wording } from './model';

export const MAX_CLAUSE_LENGTH = 10_000;
export const MAX_OPTION_LENGTH = 2000;
export const MAX_HEADING_LENGTH = 200;
export const MAX_SEGMENTS = 20;
export const MAX_OPTIONS = 8;

const invalid = (message: string, field: string) => new DomainError('WORDING_INVALID', message, field);

/** Trimmed, NFC-normalised, spaces collapsed: the form that is stored, diffed and hashed. */
export function cleanText(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .trim();
}

const optionLetter = (index: number): string => String.fromCharCode(65 + index);

/** A heading as stored: trimmed; empty means none. */
export function cleanHeading(raw: string | null | undefined, field = 'heading'): string | null {
  if (raw === undefined || raw === null) return null;
  const heading = cleanText(raw);
  if (heading.length > MAX_HEADING_LENGTH) throw invalid(`A heading is at most ${MAX_HEADING_LENGTH} characters.`, field);
  return heading.length ? heading : null;
}

/** One option's wording: not empty, not too long, no segment markers. */
export function cleanOptionText(raw: string, field: string): string {
  const text = cleanText(raw);
  if (!text.length) throw invalid('An option needs wording.', field);
  if (text.length > MAX_OPTION_LENGTH) throw invalid(`An option is at most ${MAX_OPTION_LENGTH} characters.`, field);
  if (/[{}]/.test(text)) throw invalid('An option may not contain { or }: they mark where segments go.', field);
  return text;
}

/**
 * Wording as a client wrote it (`{{1}}`, `{{2}}` … for the segments, in order) into the stored
 * form, with a fresh id per segment. Every segment sits in the text exactly once; supporters are
 * parties of the session.
 */
export function parseWording(input: WordingInput, partyIds: readonly string[], newId: () => string, field = 'wording'): Wording {
  const text = cleanText(input.text);
  const raw = input.segments ?? [];
  if (text.length > MAX_CLAUSE_LENGTH) throw invalid(`A clause is at most ${MAX_CLAUSE_LENGTH} characters.`, `${field}.text`);
  if (raw.length > MAX_SEGMENTS) throw invalid(`A clause holds at most ${MAX_SEGMENTS} disputed segments.`, `${field}.segments`);

  const seen = new Set<number>();
  const ids = raw.map(() => newId());
  const stored = text.replace(/\{\{\s*(\d+)\s*\}\}/g, (_m, n: string) => {
    const index = Number(n) - 1;
    if (index < 0 || index >= raw.length) throw invalid(`{{${n}}} names no segment.`, `${field}.text`);
    if (seen.has(index)) throw invalid(`Segment {{${n}}} appears twice.`, `${field}.text`);
    seen.add(index);
    return `{{${ids[index]}}}`;
  });
  const rest = ids.reduce((t, id) => t.split(`{{${id}}}`).join(''), stored);
  if (/\{\{|\}\}/.test(rest) || /\{\{\{|\}\}\}/.test(stored)) throw invalid('Use {{n}} only to place segment n.', `${field}.text`);
  if (seen.size !== raw.length) throw invalid('Every segment must be placed in the text with {{n}}.', `${field}.text`);
  if (!rest.trim().length && raw.length === 0) throw invalid('A clause needs wording.', `${field}.text`);

  const segments: Segment[] = raw.map((s, i) => {
    const at = `${field}.segments.${i}`;
    if (!s.options?.length || s.options.length > MAX_OPTIONS)
      throw invalid(`A segment holds 1 to ${MAX_OPTIONS} options.`, `${at}.options`);
    const options: Option[] = s.options.map((o, j) => {
      const supportedBy = [...new Set(o.supportedBy ?? [])];
      const stranger = supportedBy.find((p) => !partyIds.includes(p));
      if (stranger !== undefined) throw invalid('A supporter must be a party of this session.', `${at}.options.${j}.supportedBy`);
      return { id: optionLetter(j), text: cleanOptionText(o.text, `${at}.options.${j}.text`), supportedBy };
    });
    return { id: ids[i], options: dedupeSupport(options) };
  });
  return { text: stored, segments };
}

/** A party supports at most one option of a segment: the last one named wins. */
function dedupeSupport(options: Option[]): Option[] {
  const owner = new Map<string, string>();
  for (const o of options) for (const p of o.supportedBy) owner.set(p, o.id);
  return options.map((o) => ({ ...o, supportedBy: o.supportedBy.filter((p) => owner.get(p) === o.id) }));
}

/** For people: a bracket as `[wording]`, alternatives as `[A: … | B: …]`. */
export function render(w: Wording): string {
  return w.text.replace(/\{\{([^}]+)\}\}/g, (whole, id: string) => {
    const s = w.segments.find((x) => x.id === id);
    if (!s) return whole;
    if (s.options.length === 1) return `[${s.options[0].text}]`;
    return `[${s.options.map((o) => `${o.id}: ${o.text}`).join(' | ')}]`;
  });
}

export const isBracketed = (w: Wording): boolean => w.segments.length > 0;

export function findSegment(w: Wording, segmentId: string): Segment {
  const s = w.segments.find((x) => x.id === segmentId);
  if (!s) throw new DomainError('SEGMENT_NOT_FOUND', 'The clause has no such disputed segment (it may have been resolved).', 'segmentId');
  return s;
}

export function findOption(s: Segment, optionId: string): Option {
  const o = s.options.find((x) => x.id === optionId);
  if (!o) throw new DomainError('OPTION_NOT_FOUND', 'The segment has no such option.', 'optionId');
  return o;
}

/** Adds an option to a segment; the proposing party (if any) supports it. */
export function addOption(w: Wording, segmentId: string, text: string, supporter: string | null): Wording {
  const s = findSegment(w, segmentId);
  if (s.options.length >= MAX_OPTIONS) throw invalid(`A segment holds at most ${MAX_OPTIONS} options.`, 'segmentId');
  const option: Option = { id: optionLetter(s.options.length), text: cleanOptionText(text, 'text'), supportedBy: [] };
  const withOption = replaceSegment(w, { ...s, options: [...s.options, option] });
  return supporter ? support(withOption, segmentId, option.id, supporter) : withOption;
}

/** The party moves its support to this option (from any other option of the segment); `null` withdraws it. */
export function support(w: Wording, segmentId: string, optionId: string | null, partyId: string): Wording {
  const s = findSegment(w, segmentId);
  if (optionId !== null) findOption(s, optionId);
  return replaceSegment(w, {
    ...s,
    options: s.options.map((o) => ({
      ...o,
      supportedBy: o.id === optionId ? [...new Set([...o.supportedBy, partyId])] : o.supportedBy.filter((p) => p !== partyId),
    })),
  });
}

/**
 * Cleans a segment: the chosen option's wording, or new wording (empty strikes the bracket),
 * takes its place in the text.
 */
export function resolve(w: Wording, segmentId: string, choice: { optionId?: string; text?: string }): Wording {
  const s = findSegment(w, segmentId);
  let replacement: string;
  if (choice.optionId !== undefined && choice.text !== undefined)
    throw invalid('Choose an option or give new wording, not both.', 'optionId');
  if (choice.optionId !== undefined) replacement = findOption(s, choice.optionId).text;
  else if (choice.text !== undefined) {
    replacement = cleanText(choice.text);
    if (replacement.length > MAX_OPTION_LENGTH || /[{}]/.test(replacement))
      throw invalid('The new wording is too long or holds { or }.', 'text');
  } else throw invalid('Choose an option or give new wording.', 'optionId');
  // Verbatim (a function, so "$&" and the like stay as written); striking takes the space before it too.
  const token = `{{${s.id}}}`;
  const at = w.text.indexOf(token);
  const cut = replacement === '' && at > 0 && w.text[at - 1] === ' ' ? at - 1 : at;
  const text = cleanText(w.text.slice(0, cut) + replacement + w.text.slice(at + token.length));
  if (!text.length) throw invalid('Resolving this segment would leave the clause empty; delete the clause instead.', 'text');
  return { text, segments: w.segments.filter((x) => x.id !== s.id) };
}

function replaceSegment(w: Wording, next: Segment): Wording {
  return { ...w, segments: w.segments.map((s) => (s.id === next.id ? next : s)) };
}
