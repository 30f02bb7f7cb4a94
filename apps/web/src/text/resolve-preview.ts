import type { WordDiffSegment } from '@parley/contracts';
import { DomainError, wordDiff } from '@parley/platform/domain';
import { cleanText, MAX_OPTION_LENGTH, render, resolve } from '@parley/agreement/domain/wording';

/** A clause's wording as the server sends it: `text` holds `{{segmentId}}` where each segment sits. */
export interface ClauseWording {
  readonly text: string;
  readonly segments: readonly {
    readonly id: string;
    readonly options: readonly { readonly id: string; readonly text: string; readonly supportedBy: readonly string[] }[];
  }[];
}

/** How the mediator resolves a segment: one of its options, new wording, or striking it. */
export type ResolveChoice = { kind: 'option'; optionId: string } | { kind: 'reword'; text: string } | { kind: 'strike' };

/** Why the server would refuse this resolution (each has its own sentence in the page). */
export type ResolveRefusal = 'empty_clause' | 'too_long' | 'braces' | 'segment_gone' | 'option_gone' | 'invalid';

export type ResolvePreview =
  | {
      ok: true;
      request: { optionId: string } | { text: string };
      wording: ClauseWording;
      before: string;
      after: string;
      diff: WordDiffSegment[];
    }
  | { ok: false; refused: ResolveRefusal; code: string; field?: string };

/** The segments in the order they stand in the text, each with its number K (1, 2, …). */
export function orderedSegments<S extends { readonly id: string }>(w: {
  text: string;
  segments: readonly S[];
}): { segment: S; k: number }[] {
  const at = (s: S) => {
    const i = w.text.indexOf(`{{${s.id}}}`);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...w.segments].sort((a, b) => at(a) - at(b)).map((segment, i) => ({ segment, k: i + 1 }));
}

/** What editText's resolve_option carries for this choice (new wording cleaned as the server stores it). */
export function resolveRequest(choice: ResolveChoice): { optionId: string } | { text: string } {
  switch (choice.kind) {
    case 'option':
      return { optionId: choice.optionId };
    case 'reword':
      return { text: cleanText(choice.text) };
    case 'strike':
      return { text: '' };
  }
}

/**
 * The clause after resolving one segment, computed with the rule the server applies
 * (wording.resolve, as agreement.applyChange does for resolve_option), and its redline against
 * the clause as it reads now. `show` renders wording for people (default: the server's render);
 * the page passes its own, localised one. A refusal is returned, never thrown.
 */
export function resolvePreview(
  c: ClauseWording,
  segmentId: string,
  choice: ResolveChoice,
  show: (w: ClauseWording) => string = render,
): ResolvePreview {
  const request = resolveRequest(choice);
  let wording: ClauseWording;
  try {
    wording = resolve(c, segmentId, request);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return { ok: false, refused: refusal(e, request), code: e.code, field: e.field };
  }
  const before = show(c);
  const after = show(wording);
  return { ok: true, request, wording, before, after, diff: wordDiff(before, after) };
}

function refusal(e: DomainError, request: { optionId: string } | { text: string }): ResolveRefusal {
  if (e.code === 'SEGMENT_NOT_FOUND') return 'segment_gone';
  if (e.code === 'OPTION_NOT_FOUND') return 'option_gone';
  if (e.code !== 'WORDING_INVALID') return 'invalid';
  // resolve refuses new wording that is too long or holds { or }, and a result with no wording left.
  if ('text' in request) {
    if (request.text.length > MAX_OPTION_LENGTH) return 'too_long';
    if (/[{}]/.test(request.text)) return 'braces';
  }
  return e.field === 'text' ? 'empty_clause' : 'invalid';
}

/**
 * Wording as the page shows it: a bracket as `[wording]`, alternatives as
 * `[Alt. A: … / Alt. B: …]`, with the reader's prefix for each option (`Alt. A: `) and separator.
 */
export function displayWording(w: ClauseWording, prefix: (optionId: string) => string, separator = ' / '): string {
  return w.text.replace(/\{\{([^}]+)\}\}/g, (_whole, id: string) => {
    const s = w.segments.find((x) => x.id === id);
    // A placeholder is never shown, even one the segments do not name.
    if (!s) return '';
    if (s.options.length === 1) return `[${s.options[0].text}]`;
    return `[${s.options.map((o) => `${prefix(o.id)}${o.text}`).join(separator)}]`;
  });
}
