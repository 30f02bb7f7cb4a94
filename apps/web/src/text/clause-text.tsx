import { useEffect, useMemo, useRef, useState } from 'react';
import type { ClauseView } from '@parley/contracts';
import { useI18n, type Translate } from '../i18n/i18n';
import type { SessionController } from '../state/session-controller';
import { type SessionState, textIsDrafting } from '../state/session-state';
import { bracket, isRefusal, partsFromClause, type BracketKind, type Part, type PartPosition } from './wording-parts';
import { MAX_SEGMENTS } from '@parley/agreement/domain/wording';
import './editor.css';

/** "Alt. A", "بديل أ" …: the option's letter in the reader's alphabet. `letter` is the option's id (A, B …) or its index. */
export function altName(t: Translate, letter: string | number): string {
  return t('editor.alt', { letter: letterOf(t, letter) });
}

export function letterOf(t: Translate, letter: string | number): string {
  const index = typeof letter === 'number' ? letter : letter.charCodeAt(0) - 65;
  return Array.from(t('editor.letters'))[index] ?? (typeof letter === 'string' ? letter : String(index + 1));
}

/** The sentence for a refused bracket. */
export function refusalSentence(t: Translate, refused: 'empty' | 'crosses' | 'full'): string {
  if (refused === 'empty') return t('editor.selectFirst');
  if (refused === 'full') return t('editor.full', { max: MAX_SEGMENTS });
  return t('editor.crosses');
}

/**
 * Parts as negotiators read them: plain wording, "[bracketed]" and "[Alt. A: … / Alt. B: …]".
 * Each part is a span with data-part (its index) so a selection maps back to the parts; each
 * segment is `<span class="segment" data-segment=…>` with its brackets as characters.
 */
export function PartsText({ parts }: { parts: readonly Part[] }) {
  const { t } = useI18n();
  return (
    <>
      {parts.map((p, i) =>
        p.kind === 'text' ? (
          <span key={i} data-part={i} className="part">
            {p.text}
          </span>
        ) : (
          <span key={i} data-part={i} className={p.options.length > 1 ? 'segment alternatives' : 'segment'} data-segment={p.id ?? i}>
            <span className="segment-mark">[</span>
            {p.options.length === 1 ? (
              <span className="option">{p.options[0].text}</span>
            ) : (
              p.options.map((o, j) => (
                <span key={j} className="option" data-option={o.id ?? letterOf(t, j)}>
                  {j > 0 && <span className="option-sep">{t('editor.altSeparator')}</span>}
                  <span className="option-letter">
                    {/* Isolated: an Arabic label keeps its place in a clause written left to right, and the reverse. */}
                    <bdi>{altName(t, o.id ?? j)}</bdi>
                    {t('editor.altColon')}
                  </span>
                  {o.text}
                </span>
              ))
            )}
            <span className="segment-mark">]</span>
          </span>
        ),
      )}
    </>
  );
}

/** The {part, offset} a DOM point falls on inside `root` (null when outside it). */
function positionOf(root: HTMLElement, node: Node | null, offset: number, parts: readonly Part[]): PartPosition | null {
  if (!node || !root.contains(node)) return null;
  // A point on an element (not in a text node): use the child it sits before.
  let el: Node | null = node;
  if (node.nodeType === Node.ELEMENT_NODE && node !== root) {
    const child = node.childNodes[offset] ?? null;
    if (child && (child as HTMLElement).closest?.('[data-part]')) return positionOf(root, child, 0, parts);
  }
  if (node === root) {
    const child = root.childNodes[offset];
    if (!child) return { part: parts.length - 1, offset: parts.at(-1)?.kind === 'segment' ? 1 : textLength(parts.at(-1)) };
    const index = Number((child as HTMLElement).dataset?.part ?? 0);
    return { part: index, offset: 0 };
  }
  while (el && el !== root && !(el instanceof HTMLElement && el.dataset.part !== undefined)) el = el.parentNode;
  if (!el || el === root) return null;
  const index = Number((el as HTMLElement).dataset.part);
  const part = parts[index];
  if (!part) return null;
  if (part.kind === 'segment') {
    // At the segment's very start (before its "["): a boundary, offset 0; anywhere inside it: 1.
    const range = document.createRange();
    range.setStart(el, 0);
    range.setEnd(node, offset);
    return { part: index, offset: range.toString().length === 0 ? 0 : 1 };
  }
  // A plain part's span holds one text node: the offset in it is the offset in the part.
  return { part: index, offset: node.nodeType === Node.TEXT_NODE ? offset : offset === 0 ? 0 : part.text.length };
}

const textLength = (p: Part | undefined) => (p?.kind === 'text' ? p.text.length : 0);

/**
 * A clause's wording as negotiators read it: plain wording, bracketed segments and alternatives
 * (supporters are shown by the segment panel below). For the mediator while drafting, when the
 * panel passes `onBracket`: a toolbar "Bracket" / "Alternatives" acting on the words selected in
 * this clause's text, handing the parts with the new segment made to `onBracket` (the panel opens
 * the editor with them: nothing is saved until "Save"). A selection crossing a segment or
 * spanning two parts is refused with a sentence.
 */
export function ClauseText({
  c,
  state,
  ctl,
  onBracket,
}: {
  c: ClauseView;
  state: SessionState;
  ctl?: SessionController;
  onBracket?: (parts: Part[]) => void;
}) {
  const { t } = useI18n();
  const parts = useMemo(() => partsFromClause(c), [c]);
  const textRef = useRef<HTMLParagraphElement>(null);
  const selection = useRef<{ from: PartPosition; to: PartPosition } | 'outside' | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const drafting = textIsDrafting(state);
  const tools = Boolean(onBracket && ctl?.isMediator && drafting);

  // The last selection made in this clause's text, kept while focus moves to the toolbar (a click
  // or a Tab may collapse it); a selection made elsewhere forgets it.
  useEffect(() => {
    if (!tools) return;
    const onChange = () => {
      const root = textRef.current;
      const sel = document.getSelection();
      if (!root || !sel || sel.rangeCount === 0) return;
      if (sel.isCollapsed) {
        if (root.contains(sel.anchorNode)) selection.current = null;
        return;
      }
      const from = positionOf(root, sel.anchorNode, sel.anchorOffset, parts);
      const to = positionOf(root, sel.focusNode, sel.focusOffset, parts);
      const anchorIn = root.contains(sel.anchorNode);
      const focusIn = root.contains(sel.focusNode);
      if (from && to) selection.current = { from, to };
      else if (anchorIn || focusIn) selection.current = 'outside';
      else selection.current = null;
    };
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, [tools, parts]);

  const make = (kind: BracketKind) => {
    const sel = selection.current;
    if (!sel) return setRefusal(refusalSentence(t, 'empty'));
    if (sel === 'outside') return setRefusal(refusalSentence(t, 'crosses'));
    const result = bracket(parts, sel.from, sel.to, kind);
    if (isRefusal(result)) return setRefusal(refusalSentence(t, result.refused));
    setRefusal(null);
    selection.current = null;
    document.getSelection()?.removeAllRanges();
    onBracket?.(result.parts);
  };

  return (
    <>
      <p className="clause-text" dir="auto" ref={textRef}>
        <PartsText parts={parts} />
      </p>
      {tools && (
        <div className="row editor-toolbar" role="toolbar" aria-label={t('editor.readToolbar', { n: c.number })}>
          {(['bracket', 'alternatives'] as const).map((kind) => (
            <button
              key={kind}
              type="button"
              className="quiet"
              // Keeps the selection in the text when the button is pressed with a pointer.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => make(kind)}
            >
              {t(kind === 'bracket' ? 'editor.bracket' : 'editor.alternatives')}
            </button>
          ))}
        </div>
      )}
      {refusal && (
        <p className="error" role="alert">
          {refusal}
        </p>
      )}
    </>
  );
}
