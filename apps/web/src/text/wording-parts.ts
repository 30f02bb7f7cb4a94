import type { WordingInput } from '@parley/contracts';
import { MAX_OPTIONS, MAX_SEGMENTS } from '@parley/agreement/domain/wording';

/**
 * A clause's wording as the editor and the page hold it: a sequence of plain wording and
 * disputed segments (a bracket: one option; alternatives: two or more). The stored `{{id}}` and
 * the client's `{{n}}` placeholders exist only at the edges (partsFromClause, partsFromWording,
 * toWordingInput): no part ever holds one, so nothing built from parts can show one.
 *
 * Every function here is pure, never throws on user input, and is linear in the clause's length.
 */

export interface PartOption {
  text: string;
  /** The option's letter in the stored clause (A, B …), kept for display. */
  id?: string;
  /** The parties supporting the option in the stored clause. */
  supportedBy?: string[];
  /** The wording those parties supported: support is kept only while the option still reads so. */
  supportedText?: string;
}

export type Part = { kind: 'text'; text: string } | { kind: 'segment'; options: PartOption[]; /** stored segment id */ id?: string };
export type TextPart = Extract<Part, { kind: 'text' }>;
export type SegmentPart = Extract<Part, { kind: 'segment' }>;

/**
 * A place in the parts: `offset` counts characters within a plain part; in a segment it is 0 at
 * the segment's very start (a boundary) and more than 0 anywhere inside it.
 */
export interface PartPosition {
  part: number;
  offset: number;
}

export type BracketKind = 'bracket' | 'alternatives';
/** Why a bracket cannot be made: nothing selected, or the selection is not within one plain part, or the clause is full. */
export type Refusal = { refused: 'empty' | 'crosses' | 'full' };
export type BracketResult = { parts: Part[]; /** index of the new segment */ at: number } | Refusal;

export const isRefusal = (r: object): r is Refusal => 'refused' in r;

interface StoredClause {
  text: string;
  segments: ReadonlyArray<{ id: string; options: ReadonlyArray<{ id: string; text: string; supportedBy: readonly string[] }> }>;
}

/** Adjacent plain parts merged, empty plain parts dropped. */
export function normalise(parts: readonly Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    if (p.kind === 'text') {
      if (!p.text) continue;
      const last = out.at(-1);
      if (last?.kind === 'text') out[out.length - 1] = { kind: 'text', text: last.text + p.text };
      else out.push(p);
    } else out.push(p);
  }
  return out;
}

function split(text: string, pattern: RegExp, segment: (key: string) => Part | null): Part[] {
  const parts: Part[] = [];
  let at = 0;
  for (const m of text.matchAll(pattern)) {
    parts.push({ kind: 'text', text: text.slice(at, m.index) });
    const s = segment(m[1]);
    if (s) parts.push(s);
    at = m.index + m[0].length;
  }
  parts.push({ kind: 'text', text: text.slice(at) });
  return normalise(parts);
}

/** The stored clause (`{{segmentId}}` in its text) as parts, with each option's letter and supporters. */
export function partsFromClause(c: StoredClause): Part[] {
  const byId = new Map(c.segments.map((s) => [s.id, s]));
  return split(c.text, /\{\{([^}]+)\}\}/g, (id) => {
    const s = byId.get(id);
    if (!s) return null;
    return {
      kind: 'segment',
      id: s.id,
      options: s.options.map((o) => ({ id: o.id, text: o.text, supportedBy: [...o.supportedBy], supportedText: o.text })),
    };
  });
}

/** A client's wording (`{{1}}`, `{{2}}` … for the segments) as parts; a placeholder naming no segment is dropped. */
export function partsFromWording(w: WordingInput): Part[] {
  const segments = w.segments ?? [];
  return split(w.text, /\{\{\s*(\d+)\s*\}\}/g, (n) => {
    const s = segments[Number(n) - 1];
    if (!s) return null;
    return {
      kind: 'segment',
      options: s.options.map((o) => ({ text: o.text, supportedBy: o.supportedBy ? [...o.supportedBy] : undefined, supportedText: o.text })),
    };
  });
}

const sameWording = (a: string, b: string) => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();

/**
 * Parts as the server takes them: `{{1}}`, `{{2}}` … in order. Support: the server takes the
 * supporters from the input when the mediator replaces a clause (and when a proposal is adopted),
 * so dropping them would silently take away a party's support. An option keeps the parties that
 * supported it as long as it still reads as they supported it (spacing aside); an option whose
 * wording changed, and a new option, carry no support — the party must support the new wording
 * itself. `keepSupport: false` sends no supporter at all.
 */
export function toWordingInput(parts: readonly Part[], opts: { keepSupport?: boolean } = {}): WordingInput {
  const keep = opts.keepSupport ?? true;
  let text = '';
  const segments: NonNullable<WordingInput['segments']> = [];
  for (const p of parts) {
    if (p.kind === 'text') text += p.text;
    else {
      segments.push({
        options: p.options.map((o) => {
          const supported = keep && o.supportedBy?.length && o.supportedText !== undefined && sameWording(o.text, o.supportedText);
          return supported ? { text: o.text, supportedBy: [...o.supportedBy!] } : { text: o.text };
        }),
      });
      text += `{{${segments.length}}}`;
    }
  }
  return segments.length ? { text, segments } : { text };
}

/** Option letters: A, B, C … */
export const optionLetter = (index: number): string => String.fromCharCode(65 + index);

/** Options relettered A, B … in order (the server does the same). */
const reletter = (options: readonly PartOption[]): PartOption[] =>
  options.map((o, i) => (o.id === undefined ? o : { ...o, id: optionLetter(i) }));

const segmentCount = (parts: readonly Part[]) => parts.reduce((n, p) => n + (p.kind === 'segment' ? 1 : 0), 0);

/**
 * Makes a segment of the words between `from` and `to` (either order). They must lie within one
 * plain part; whitespace at either edge of the selection stays outside the bracket. "alternatives"
 * makes Alt. A the selection and Alt. B empty, to be written.
 */
export function bracket(parts: readonly Part[], from: PartPosition, to: PartPosition, kind: BracketKind): BracketResult {
  let [a, b] = from.part < to.part || (from.part === to.part && from.offset <= to.offset) ? [from, to] : [to, from];
  // A selection ending at the very start of the next part (or starting at the very end of the previous) is within one part.
  if (b.part === a.part + 1 && b.offset === 0 && parts[a.part]?.kind === 'text') b = { part: a.part, offset: textOf(parts[a.part]).length };
  if (a.part === b.part - 1 && parts[a.part]?.kind === 'text' && a.offset >= textOf(parts[a.part]).length && parts[b.part]?.kind === 'text')
    a = { part: b.part, offset: 0 };
  if (a.part !== b.part) return { refused: 'crosses' };
  const p = parts[a.part];
  if (!p) return { refused: 'empty' };
  if (p.kind !== 'text') return { refused: 'crosses' };
  const start = Math.max(0, Math.min(a.offset, p.text.length));
  const end = Math.max(start, Math.min(b.offset, p.text.length));
  const selected = p.text.slice(start, end);
  const words = selected.trim();
  if (!words) return { refused: 'empty' };
  if (segmentCount(parts) >= MAX_SEGMENTS) return { refused: 'full' };
  const lead = selected.length - selected.trimStart().length;
  const trail = selected.length - selected.trimEnd().length;
  const before = p.text.slice(0, start + lead);
  const after = p.text.slice(end - trail);
  const segment: SegmentPart = { kind: 'segment', options: kind === 'bracket' ? [{ text: words }] : [{ text: words }, { text: '' }] };
  const made: Part[] = [];
  if (before) made.push({ kind: 'text', text: before });
  const at = a.part + made.length;
  made.push(segment);
  if (after) made.push({ kind: 'text', text: after });
  return { parts: [...parts.slice(0, a.part), ...made, ...parts.slice(a.part + 1)], at };
}

/**
 * Opens an empty single-option bracket at `offset` of plain part `index` (the "[" offer), removing
 * `remove` characters just before it (the "[" typed). Returns the new segment's index.
 */
export function openBracketAt(parts: readonly Part[], index: number, offset: number, remove = 0): BracketResult {
  const p = parts[index];
  if (!p || p.kind !== 'text') return { refused: 'crosses' };
  if (segmentCount(parts) >= MAX_SEGMENTS) return { refused: 'full' };
  const cut = Math.max(0, Math.min(offset, p.text.length));
  const before = p.text.slice(0, Math.max(0, cut - remove));
  const after = p.text.slice(cut);
  const made: Part[] = [];
  if (before) made.push({ kind: 'text', text: before });
  const at = index + made.length;
  made.push({ kind: 'segment', options: [{ text: '' }] });
  if (after) made.push({ kind: 'text', text: after });
  return { parts: [...parts.slice(0, index), ...made, ...parts.slice(index + 1)], at };
}

const textOf = (p: Part | undefined): string => (p?.kind === 'text' ? p.text : '');

function mapSegment(parts: readonly Part[], index: number, f: (s: SegmentPart) => SegmentPart): Part[] {
  const p = parts[index];
  if (!p || p.kind !== 'segment') return [...parts];
  const next = parts.slice();
  next[index] = f(p);
  return next;
}

/** A new empty option at the end of segment `index` (at most MAX_OPTIONS). */
export function addOption(parts: readonly Part[], index: number): Part[] {
  return mapSegment(parts, index, (s) => (s.options.length >= MAX_OPTIONS ? s : { ...s, options: [...s.options, { text: '' }] }));
}

/** Strikes one option of a segment; the last option cannot be struck (remove the bracket instead). Later options move up a letter. */
export function strikeOption(parts: readonly Part[], index: number, option: number): Part[] {
  return mapSegment(parts, index, (s) =>
    s.options.length <= 1 || !s.options[option] ? s : { ...s, options: reletter(s.options.filter((_, i) => i !== option)) },
  );
}

/** Turns segment `index` back into plain wording: its first option's text, merged with the plain wording around it. */
export function unbracket(parts: readonly Part[], index: number): Part[] {
  const p = parts[index];
  if (!p || p.kind !== 'segment') return [...parts];
  return normalise([...parts.slice(0, index), { kind: 'text', text: p.options[0]?.text ?? '' }, ...parts.slice(index + 1)]);
}

/** Rewrites one option's wording. */
export function setOptionText(parts: readonly Part[], index: number, option: number, text: string): Part[] {
  return mapSegment(parts, index, (s) =>
    s.options[option] ? { ...s, options: s.options.map((o, i) => (i === option ? { ...o, text } : o)) } : s,
  );
}

/** Rewrites plain part `index` (an empty one is kept while the editor shows it: normalise() drops it). */
export function setText(parts: readonly Part[], index: number, text: string): Part[] {
  const p = parts[index];
  if (!p || p.kind !== 'text') return [...parts];
  const next = parts.slice();
  next[index] = { kind: 'text', text };
  return next;
}

/** Index among the plain parts (0-based) of each part, or -1 for a segment. */
export function plainIndexes(parts: readonly Part[]): number[] {
  let k = 0;
  return parts.map((p) => (p.kind === 'text' ? k++ : -1));
}

/** Index among the segments (0-based) of each part, or -1 for plain wording. */
export function segmentIndexes(parts: readonly Part[]): number[] {
  let k = 0;
  return parts.map((p) => (p.kind === 'segment' ? k++ : -1));
}

/** How alternatives read: the prefix of an option given its letter (A, B …), and what stands between options. */
export interface SegmentStyle {
  option: (letter: string) => string;
  separator: string;
}

/** The server's own rendering: `[A: … | B: …]`. */
export const SERVER_STYLE: SegmentStyle = { option: (letter) => `${letter}: `, separator: ' | ' };

/**
 * The parts as text for people: `[wording]` for a bracket; alternatives in the server's own
 * rendering (`[A: … | B: …]`), or in the page's (`[Alt. A: … / Alt. B: …]`) when given that style.
 */
export function renderParts(parts: readonly Part[], style: SegmentStyle = SERVER_STYLE): string {
  return parts
    .map((p) => {
      if (p.kind === 'text') return p.text;
      if (p.options.length === 1) return `[${p.options[0].text}]`;
      return `[${p.options.map((o, i) => `${style.option(o.id ?? optionLetter(i))}${o.text}`).join(style.separator)}]`;
    })
    .join('');
}

/** Whether plain wording holds a square bracket typed as a character (likely meant as a real bracket). */
export const hasLiteralBracket = (parts: readonly Part[]): boolean => parts.some((p) => p.kind === 'text' && /[[\]]/.test(p.text));

/** What would stop the server taking the parts, found before sending: an empty option, or no wording at all. */
export function problem(parts: readonly Part[]): 'emptyOption' | 'empty' | null {
  if (parts.some((p) => p.kind === 'segment' && p.options.some((o) => !o.text.trim()))) return 'emptyOption';
  if (!parts.some((p) => (p.kind === 'text' ? p.text.trim() : true))) return 'empty';
  return null;
}
