import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { ClauseView, ProposalChange, WordingInput } from '@parley/contracts';
import { MAX_HEADING_LENGTH, MAX_OPTIONS } from '@parley/agreement/domain/wording';
import { useI18n } from '../i18n/i18n';
import { api, ApiFailure } from '../lib/api';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import type { SessionState } from '../state/session-state';
import { ErrorNote } from '../components/shell';
import { altName, PartsText, refusalSentence } from './clause-text';
import {
  addOption,
  bracket,
  isRefusal,
  normalise,
  openBracketAt,
  partsFromClause,
  partsFromWording,
  problem,
  setOptionText,
  setText,
  strikeOption,
  toWordingInput,
  unbracket,
  type BracketKind,
  type BracketResult,
  type Part,
} from './wording-parts';
import './editor.css';

export interface ClauseEditorResult {
  /** The heading as typed (trimmed; null when empty), or the `heading` prop unchanged without `withHeading`. */
  heading: string | null;
  wording: WordingInput;
}

export interface ClauseEditorProps {
  /** The form's accessible name: "New clause", "Edit clause N", "Propose new wording for clause N", "Counter-proposal". */
  label: string;
  /** The wording to start from (partsFromClause(c), partsFromWording(w), or [] for a new clause). Read once: give the editor a new `key` to start again. */
  initial: Part[];
  heading?: string | null;
  /** Shows the "Heading (optional)" textbox. */
  withHeading?: boolean;
  submitLabel: string;
  /** Called with the wording in the server's `{{n}}` form; resolves true when done (a new clause's form then empties). */
  onSubmit: (result: ClauseEditorResult) => Promise<boolean>;
  /** Shows a "Cancel" button. */
  onCancel?: () => void;
  /** Extra fields (visibility, rationale …), rendered after the wording and before the buttons. */
  children?: ReactNode;
  busy?: boolean;
  /** The server's refusal of the last submit, shown before the buttons. */
  error?: { code: string; field?: string } | null;
  /** Sends the supporters of options whose wording is unchanged (default true; see toWordingInput). */
  keepSupport?: boolean;
}

/** An editor with no segment shows one plain part; segments at the edges or side by side get an empty plain part to type in. */
function pad(parts: readonly Part[]): Part[] {
  const out: Part[] = [];
  for (const p of normalise(parts)) {
    if (p.kind === 'segment' && out.at(-1)?.kind !== 'text') out.push({ kind: 'text', text: '' });
    out.push(p);
  }
  if (out.at(-1)?.kind !== 'text') out.push({ kind: 'text', text: '' });
  return out;
}

const rowsFor = (text: string) => {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return Math.min(24, Math.max(2, lines + Math.floor(text.length / 70)));
};

/**
 * The clause as a sequence of parts: each plain part a "Wording" textarea, each segment a
 * fieldset with its options. The toolbar brackets the words selected in the last focused
 * Wording textarea. All state is local: typing re-renders this form only.
 */
export function ClauseEditor({
  label,
  initial,
  heading,
  withHeading,
  submitLabel,
  onSubmit,
  onCancel,
  children,
  busy,
  error,
  keepSupport = true,
}: ClauseEditorProps) {
  const { t } = useI18n();
  const id = useId();
  const [parts, setParts] = useState<Part[]>(() => pad(initial));
  const [headingText, setHeadingText] = useState(heading ?? '');
  const [note, setNote] = useState<string | null>(null);
  const [offer, setOffer] = useState<{ part: number; offset: number } | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const lastSelection = useRef<{ part: number; start: number; end: number } | null>(null);
  const fields = useRef(new Map<string, HTMLTextAreaElement>());
  const focusNext = useRef<string | null>(null);

  useEffect(() => {
    if (!focusNext.current) return;
    fields.current.get(focusNext.current)?.focus();
    focusNext.current = null;
  });

  const plainCount = parts.filter((p) => p.kind === 'text').length;
  const remember = (part: number) => (e: { currentTarget: HTMLTextAreaElement }) => {
    lastSelection.current = { part, start: e.currentTarget.selectionStart, end: e.currentTarget.selectionEnd };
  };

  const apply = (result: BracketResult, focusOption: number) => {
    if (isRefusal(result)) return setNote(refusalSentence(t, result.refused));
    const made = result.parts[result.at];
    const next = pad(result.parts);
    setParts(next);
    setNote(null);
    setOffer(null);
    lastSelection.current = null;
    focusNext.current = `${next.indexOf(made)}:${focusOption}`;
  };

  const make = (kind: BracketKind) => {
    const sel = lastSelection.current;
    if (!sel || sel.start === sel.end) return setNote(refusalSentence(t, 'empty'));
    apply(
      bracket(parts, { part: sel.part, offset: sel.start }, { part: sel.part, offset: sel.end }, kind),
      kind === 'alternatives' ? 1 : 0,
    );
  };

  const makeFromOffer = () => {
    if (!offer) return;
    const p = parts[offer.part];
    const text = p?.kind === 'text' ? p.text : '';
    // The "[" typed, or (if typing went on) the last one before the caret.
    const at = text[offer.offset - 1] === '[' ? offer.offset : text.lastIndexOf('[') + 1;
    apply(openBracketAt(parts, offer.part, at > 0 ? at : text.length, at > 0 ? 1 : 0), 0);
  };

  const typeText = (index: number, e: { currentTarget: HTMLTextAreaElement }) => {
    const el = e.currentTarget;
    const before = parts[index]?.kind === 'text' ? (parts[index] as { text: string }).text : '';
    const caret = el.selectionStart;
    // One "[" just typed (not pasted with other text): offer a real bracket.
    if (el.value.length === before.length + 1 && el.value[caret - 1] === '[') setOffer({ part: index, offset: caret });
    setParts((ps) => setText(ps, index, el.value));
    remember(index)(e);
  };

  const change = (next: Part[]) => {
    setParts(pad(next));
    setOffer(null);
    lastSelection.current = null;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const wrong = problem(parts);
    if (wrong) return setNote(t(wrong === 'empty' ? 'editor.empty' : 'editor.emptyOption'));
    setNote(null);
    setSubmitting(true);
    try {
      const done = await onSubmit({
        heading: withHeading ? headingText.trim() || null : (heading ?? null),
        wording: toWordingInput(normalise(parts), { keepSupport }),
      });
      if (done && !onCancel) {
        setParts(pad([]));
        setHeadingText('');
        setOffer(null);
      }
    } finally {
      setSubmitting(false);
    }
  };

  const segmentNumbers = new Map<number, number>();
  const plainNumbers = new Map<number, number>();
  parts.forEach((p, i) =>
    (p.kind === 'text' ? plainNumbers : segmentNumbers).set(i, (p.kind === 'text' ? plainNumbers : segmentNumbers).size + 1),
  );
  const disabled = Boolean(busy) || submitting;

  return (
    <form aria-label={label} className="stack clause-editor" onSubmit={submit}>
      {withHeading && (
        <label>
          {t('editor.heading')}
          <input dir="auto" value={headingText} onChange={(e) => setHeadingText(e.target.value)} maxLength={MAX_HEADING_LENGTH} />
        </label>
      )}
      <div className="row editor-toolbar" role="toolbar" aria-label={t('editor.toolbar')}>
        {(['bracket', 'alternatives'] as const).map((kind) => (
          <button key={kind} type="button" className="quiet" onMouseDown={(e) => e.preventDefault()} onClick={() => make(kind)}>
            {t(kind === 'bracket' ? 'editor.bracket' : 'editor.alternatives')}
          </button>
        ))}
      </div>
      {note && (
        <p className="error" role="alert">
          {note}
        </p>
      )}
      <div className="editor-parts">
        {parts.map((p, i) => {
          if (p.kind === 'text') {
            const name = plainCount === 1 ? t('editor.wording') : t('editor.wordingPart', { k: plainNumbers.get(i)! });
            return (
              <div key={`${i}-text`} className="editor-part">
                <label htmlFor={`${id}-p${i}`}>{name}</label>
                <textarea
                  id={`${id}-p${i}`}
                  dir="auto"
                  ref={(el) => {
                    if (el) fields.current.set(`${i}:0`, el);
                    else fields.current.delete(`${i}:0`);
                  }}
                  value={p.text}
                  rows={rowsFor(p.text)}
                  onChange={(e) => typeText(i, e)}
                  onSelect={remember(i)}
                  onKeyUp={remember(i)}
                  onMouseUp={remember(i)}
                  onFocus={remember(i)}
                />
                {offer?.part === i && (
                  <div className="notice literal-offer" role="status">
                    <span>{t('editor.literalOffer')}</span>{' '}
                    <button type="button" onClick={makeFromOffer}>
                      {t('editor.makeBracket')}
                    </button>{' '}
                    <button type="button" className="quiet" onClick={() => setOffer(null)}>
                      {t('editor.keepCharacter')}
                    </button>
                  </div>
                )}
              </div>
            );
          }
          const k = segmentNumbers.get(i)!;
          const single = p.options.length === 1;
          return (
            <fieldset key={`${i}-segment`} className={single ? 'editor-segment' : 'editor-segment alternatives'}>
              <legend>{t(single ? 'editor.bracketK' : 'editor.alternativesK', { k })}</legend>
              {p.options.map((o, j) => {
                const name = single ? t('editor.bracketedWording') : altName(t, j);
                return (
                  <div key={j} className="editor-option">
                    <label htmlFor={`${id}-p${i}-o${j}`}>{name}</label>
                    <textarea
                      id={`${id}-p${i}-o${j}`}
                      dir="auto"
                      ref={(el) => {
                        if (el) fields.current.set(`${i}:${j}`, el);
                        else fields.current.delete(`${i}:${j}`);
                      }}
                      value={o.text}
                      rows={Math.min(8, rowsFor(o.text))}
                      onChange={(e) => setParts((ps) => setOptionText(ps, i, j, e.target.value))}
                    />
                    {!single && (
                      <button
                        type="button"
                        className="quiet"
                        onClick={() => {
                          change(strikeOption(parts, i, j));
                          focusNext.current = `${i}:${Math.max(0, j - 1)}`;
                        }}
                      >
                        {t('editor.strike', { alt: name })}
                      </button>
                    )}
                  </div>
                );
              })}
              <div className="row">
                {p.options.length < MAX_OPTIONS && (
                  <button
                    type="button"
                    className="quiet"
                    onClick={() => {
                      change(addOption(parts, i));
                      focusNext.current = `${i}:${p.options.length}`;
                    }}
                  >
                    {t('editor.addOption')}
                  </button>
                )}
                <button
                  type="button"
                  className="quiet"
                  onClick={() => {
                    // The wording comes back into the plain part before it (there always is one, if empty).
                    change(unbracket(parts, i));
                    focusNext.current = `${i - 1}:0`;
                  }}
                >
                  {t('editor.unbracket')}
                </button>
              </div>
            </fieldset>
          );
        })}
      </div>
      {children}
      <ErrorNote error={error ?? null} />
      <div className="row">
        <button type="submit" disabled={disabled}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="quiet" disabled={submitting} onClick={onCancel}>
            {t('editor.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

/**
 * The mediator changes a clause's wording (and heading) on the version the editor opened on. When
 * another mediator saved the clause meanwhile (409 CLAUSE_VERSION_CONFLICT), both versions are
 * shown: save this one over theirs (on their version), or start again from theirs.
 */
export function EditClause({
  c,
  ctl,
  state,
  onDone,
  initialParts,
}: {
  c: ClauseView;
  ctl: SessionController;
  /** The live state: "Their version" is read from it. */
  state?: SessionState;
  onDone: () => void;
  /** Start from these parts (a bracket made in the read view) instead of the clause's wording. */
  initialParts?: Part[];
}) {
  const { t } = useI18n();
  const { run, busy, error } = useAction();
  // The clause as the editor opened on it: its version is the base of the change.
  const [base, setBase] = useState(c);
  const [start, setStart] = useState<{ parts: Part[]; key: number }>(() => ({ parts: initialParts ?? partsFromClause(c), key: 0 }));
  const [conflict, setConflict] = useState<{ mine: ClauseEditorResult } | null>(null);
  const seen = useRef(initialParts);
  // A new bracket made in the read view while the editor is open starts it again from those parts,
  // which were made from the clause as it is now: that is the new base.
  useEffect(() => {
    if (initialParts && initialParts !== seen.current) {
      seen.current = initialParts;
      setBase(c);
      setConflict(null);
      setStart((s) => ({ parts: initialParts, key: s.key + 1 }));
    }
  }, [initialParts, c]);

  const live = (state?.agreement?.clauses ?? []).find((x) => x.id === c.id) ?? (state ? null : c);

  const save = async (mine: ClauseEditorResult, on: ClauseView): Promise<boolean> => {
    const change: ProposalChange = {
      kind: 'replace',
      clauseId: c.id,
      baseVersion: on.version,
      heading: mine.heading,
      wording: mine.wording,
    };
    const done = await run(async () => {
      try {
        ctl.dispatch({ type: 'agreement', view: await api.editText(ctl.sessionId, change) });
        return true;
      } catch (e) {
        if (e instanceof ApiFailure && e.code === 'CLAUSE_VERSION_CONFLICT') {
          setConflict({ mine });
          // Their version, now: the live update may not have arrived yet.
          ctl.dispatch({ type: 'agreement', view: await api.agreement(ctl.sessionId) });
          return false;
        }
        throw e;
      }
    });
    if (done) {
      setConflict(null);
      onDone();
    }
    return Boolean(done);
  };

  const theirs = live ?? null;
  return (
    <>
      {conflict && (
        <section className="card conflict" aria-labelledby={`conflict-${c.id}`}>
          <h4 id={`conflict-${c.id}`}>{t('editor.conflict')}</h4>
          <p>{theirs ? t('editor.conflictIntro', { v: theirs.version }) : t('editor.conflictGone')}</p>
          <div className="conflict-versions">
            {theirs && (
              <div>
                <h5>{t('editor.theirs')}</h5>
                <p className="conflict-text" dir="auto">
                  {theirs.heading && <strong>{theirs.heading} </strong>}
                  <PartsText parts={partsFromClause(theirs)} />
                </p>
              </div>
            )}
            <div>
              <h5>{t('editor.yours')}</h5>
              <p className="conflict-text" dir="auto">
                {conflict.mine.heading && <strong>{conflict.mine.heading} </strong>}
                <PartsText parts={partsFromWording(conflict.mine.wording)} />
              </p>
            </div>
          </div>
          {theirs && (
            <div className="row">
              <button type="button" disabled={busy} onClick={() => void save(conflict.mine, theirs)}>
                {t('editor.saveMine')}
              </button>
              <button
                type="button"
                className="quiet"
                disabled={busy}
                onClick={() => {
                  setBase(theirs);
                  setStart((s) => ({ parts: partsFromClause(theirs), key: s.key + 1 }));
                  setConflict(null);
                }}
              >
                {t('editor.startAgain')}
              </button>
            </div>
          )}
        </section>
      )}
      <ClauseEditor
        key={start.key}
        label={t('editor.editClause', { n: c.number })}
        initial={start.parts}
        heading={base.heading}
        withHeading
        submitLabel={t('editor.save')}
        onSubmit={(mine) => save(mine, base)}
        onCancel={onDone}
        busy={busy}
        error={error?.code === 'CLAUSE_VERSION_CONFLICT' ? null : error}
      />
    </>
  );
}

/** The mediator adds a clause after the last one. */
export function AddClause({ ctl, state }: { ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  const { run, busy, error } = useAction();
  const last = state.agreement?.clauses.at(-1)?.id ?? null;
  const submit = async ({ heading, wording }: ClauseEditorResult) =>
    Boolean(
      await run(async () => {
        ctl.dispatch({
          type: 'agreement',
          view: await api.editText(ctl.sessionId, { kind: 'insert', afterClauseId: last, heading, wording }),
        });
        return true;
      }),
    );
  return (
    <details className="add-clause">
      <summary>{t('editor.addClause')}</summary>
      <ClauseEditor
        label={t('editor.newClause')}
        initial={[]}
        withHeading
        submitLabel={t('editor.insert')}
        onSubmit={submit}
        busy={busy}
        error={error}
      />
    </details>
  );
}
