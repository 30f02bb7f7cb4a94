import type { ProposalChange, WordDiffSegment, WordingInput } from '@parley/contracts';
import { addOption, cleanText, render, resolve } from '@parley/agreement/domain/wording';
import { wordDiff } from '@parley/platform/domain';

/**
 * What a proposal would do to its clause, for people: the clause's current wording and the
 * proposal's, both rendered as the server renders them (`[wording]`, `[A: … | B: …]`), and the
 * redline between them. Non-wording proposals (delete, add an option, resolve a bracket) are shown
 * as what the clause would become, computed with the server's own rules.
 *
 * Pure; never throws; no `{{` or `}}` ever comes out of it.
 */

/** The stored form of wording (`{{segmentId}}` in the text), as the domain's rules take it. */
export type Wording = Parameters<typeof render>[0];

/** Anything with a stored wording: a ClauseView is one. */
export interface StoredWording {
  text: Wording['text'];
  segments: Wording['segments'];
}

const letter = (index: number): string => String.fromCharCode(65 + index);

/** Placeholder braces never reach a reader: a run of two or more is cut to one. */
export function noMarkers(s: string): string {
  return s.replace(/\{{2,}/g, '{').replace(/\}{2,}/g, '}');
}

/**
 * How alternatives read. Without one, the server's own rendering (`[A: … | B: …]`); the page passes
 * the one its clauses are shown in ("[Alt. A: … / Alt. B: …]", in the reader's language).
 */
export interface SegmentStyle {
  /** What goes before an option of alternatives, by its letter (A, B …): "Alt. A: ". */
  option: (letter: string) => string;
  /** Between two options: " / ". */
  separator: string;
}

function renderWith(w: Wording, style: SegmentStyle | undefined): string {
  if (!style) return render(w);
  return w.text.replace(/\{\{([^}]+)\}\}/g, (whole, id: string) => {
    const s = w.segments.find((x) => x.id === id);
    if (!s) return whole;
    if (s.options.length === 1) return `[${s.options[0].text}]`;
    return `[${s.options.map((o) => style.option(o.id) + o.text).join(style.separator)}]`;
  });
}

/** A clause's stored wording for people. */
export function renderStored(w: StoredWording, style?: SegmentStyle): string {
  return noMarkers(renderWith({ text: w.text, segments: w.segments }, style));
}

/**
 * A client's wording (`{{1}}`, `{{2}}` … for its segments, spaces allowed inside the braces as the
 * server allows them) in the stored form, each segment's id being its number. A placeholder naming
 * no segment is dropped; options are lettered A, B … as the server letters them.
 */
export function storedFromInput(w: WordingInput): Wording {
  const segments = (w.segments ?? []).map((s, i) => ({
    id: String(i + 1),
    options: (s.options ?? []).map((o, j) => ({ id: letter(j), text: o.text, supportedBy: o.supportedBy ?? [] })),
  }));
  const text = w.text.replace(/\{\{\s*(\d+)\s*\}\}/g, (_m, n: string) => {
    const i = Number(n) - 1;
    return segments[i] ? `{{${i + 1}}}` : '';
  });
  return { text, segments };
}

/** A client's wording for people, exactly as the server will render it once stored; never shows `{{`. */
export function renderInput(w: WordingInput, style?: SegmentStyle): string {
  const stored = storedFromInput(w);
  return noMarkers(
    cleanText(
      renderWith(
        {
          text: stored.text,
          segments: stored.segments.map((s) => ({ ...s, options: s.options.map((o) => ({ ...o, text: cleanText(o.text) })) })),
        },
        style,
      ),
    ),
  );
}

/**
 * Stored wording back as a client writes it: `{{1}}`, `{{2}}` … in the order the segments sit in
 * the text (segments not placed are left out), with their supporters.
 */
export function inputFromStored(w: StoredWording): WordingInput {
  const byId = new Map(w.segments.map((s) => [s.id, s]));
  const segments: NonNullable<WordingInput['segments']> = [];
  const text = w.text.replace(/\{\{([^}]+)\}\}/g, (_m, id: string) => {
    const s = byId.get(id);
    if (!s) return '';
    byId.delete(id);
    segments.push({ options: s.options.map((o) => ({ text: o.text, supportedBy: [...o.supportedBy] })) });
    return `{{${segments.length}}}`;
  });
  return segments.length ? { text, segments } : { text };
}

export interface ProposalPreview {
  /**
   * The redline against the clause's current wording: for a new clause everything inserted, for a
   * deletion everything struck. Null when there is nothing to compare with (the clause is gone).
   */
  diff: WordDiffSegment[] | null;
  /** The clause as the proposal would make it, for people ('' when it deletes the clause). */
  after: string;
  /**
   * The wording as the proposal would make it, as a client writes it: what a counter-proposal
   * starts from. For a deletion, the clause as it stands (a counter keeps something of it).
   */
  becomes: WordingInput;
}

/** The clause's wording after a non-wording change, by the server's own rules; null when it no longer applies. */
function applied(change: ProposalChange, current: StoredWording): Wording | null {
  const w: Wording = { text: current.text, segments: current.segments };
  try {
    if (change.kind === 'add_option') return addOption(w, change.segmentId, change.text, null);
    if (change.kind === 'resolve_option')
      return resolve(w, change.segmentId, change.optionId !== undefined ? { optionId: change.optionId } : { text: change.text ?? '' });
  } catch {
    // The bracket was resolved since, or the option struck: the proposal no longer applies as made.
    return null;
  }
  return null;
}

/**
 * What `change` would make of the clause whose wording is `current` now (null: a new clause, or
 * the clause has since been deleted). Null when it cannot be shown against the current wording: an
 * option added to, or a resolution of, a bracket that is no longer there, or a change of a deleted
 * clause other than new wording.
 */
export function previewProposal(change: ProposalChange, current: StoredWording | null, style?: SegmentStyle): ProposalPreview | null {
  const before = current ? renderStored(current, style) : null;
  const diff = (after: string): WordDiffSegment[] | null => {
    if (before === null) return change.kind === 'insert' ? [{ op: 'insert', text: after }] : null;
    return wordDiff(before, after);
  };
  switch (change.kind) {
    case 'insert':
    case 'replace': {
      const after = renderInput(change.wording, style);
      return { diff: diff(after), after, becomes: change.wording };
    }
    case 'delete':
      if (before === null || !current) return null;
      return { diff: before ? [{ op: 'delete', text: before }] : [], after: '', becomes: inputFromStored(current) };
    case 'add_option':
    case 'resolve_option': {
      if (!current) return null;
      const next = applied(change, current);
      if (!next) return null;
      const after = renderStored(next, style);
      return { diff: diff(after), after, becomes: inputFromStored(next) };
    }
  }
}

/** The version a proposal was made on, when the clause has moved on since (null: current, or not on a clause). */
export function staleness(change: ProposalChange, clause: { version: number } | null): { base: number; now: number } | null {
  if (change.kind === 'insert' || !clause) return null;
  return change.baseVersion < clause.version ? { base: change.baseVersion, now: clause.version } : null;
}

/** The clause a proposal is about (null: a new clause). */
export const clauseIdOf = (change: ProposalChange): string | null => (change.kind === 'insert' ? null : change.clauseId);

/** A party's new wording for a clause, on its current version (the heading stays as it is). */
export function proposeChange(clause: { id: string; version: number }, wording: WordingInput): ProposalChange {
  return { kind: 'replace', clauseId: clause.id, baseVersion: clause.version, wording };
}

/**
 * A counter-proposal's change: to a new clause, another new clause at the same place; to anything
 * on a clause, new wording of that clause on its current version. Null when the clause is gone.
 */
export function counterChange(
  to: ProposalChange,
  clause: { id: string; version: number } | null,
  wording: WordingInput,
): ProposalChange | null {
  if (to.kind === 'insert')
    return { kind: 'insert', afterClauseId: to.afterClauseId, ...(to.heading !== undefined ? { heading: to.heading } : {}), wording };
  if (!clause || clause.id !== to.clauseId) return null;
  return proposeChange(clause, wording);
}
