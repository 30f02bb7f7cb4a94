import { useDeferredValue, useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { ClauseView, SegmentView } from '@parley/contracts';
import { cleanText, MAX_OPTION_LENGTH } from '@parley/agreement/domain/wording';
import { DiffText, RedlineLegend } from '../components/diff-text';
import { partyName } from '../components/presence-board';
import { ErrorNote } from '../components/shell';
import { useI18n, type Translate } from '../i18n/i18n';
import { api, ApiFailure } from '../lib/api';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import { type SessionState, textIsDrafting } from '../state/session-state';
import { displayWording, orderedSegments, resolvePreview, type ResolveChoice, type ResolvePreview } from './resolve-preview';
import './segments.css';
import { textAudience } from '@parley/agreement/domain/audience.policy';
import { Audience, useAudienceId, useRoster, viewerOf } from '../audience/audience';

/** An option's letter in the reader's alphabet (A, B … or أ، ب …). */
function letter(t: Translate, optionId: string): string {
  return [...t('segments.letters')][optionId.charCodeAt(0) - 65] ?? optionId;
}

const altName = (t: Translate, optionId: string) => t('segments.alt', { letter: letter(t, optionId) });

/** After a stale change (409), the clause as it now is, so that what the page shows is what the next try is based on. */
async function refreshAfterConflict(ctl: SessionController, e: unknown): Promise<void> {
  if (ApiFailure.of(e).code !== 'CLAUSE_VERSION_CONFLICT') return;
  try {
    ctl.dispatch({ type: 'agreement', view: await api.agreement(ctl.sessionId) });
  } catch {
    // The live update brings it anyway; the refusal is what the user needs to read now.
  }
}

/**
 * A clause's disputed segments ("Bracket K", "Alternatives K", numbered by where they stand in
 * the text): each option with the parties supporting it; a delegation supports an option or
 * withdraws its support; the mediator resolves a segment, with a redline preview of the result.
 * Observers read the options and nothing about support (the server sends them none).
 */
export function SegmentPanel({ c, ctl, state }: { c: ClauseView; ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  const headingId = useId();
  // One resolve form open at a time in a clause: the preview is about one resolution.
  const [resolving, setResolving] = useState<string | null>(null);
  if (!c.segments.length) return null;
  const drafting = textIsDrafting(state);
  const canSupport = drafting && state.me.role === 'party_member' && !!state.me.partyId;
  const canResolve = drafting && ctl.isMediator;
  return (
    <div className="segments">
      <h4 id={headingId} className="segments-title">
        {t('segments.title')}
      </h4>
      <ul className="segment-list" aria-labelledby={headingId}>
        {orderedSegments(c).map(({ segment, k }) => (
          <li key={segment.id}>
            <SegmentGroup
              c={c}
              segment={segment}
              k={k}
              ctl={ctl}
              state={state}
              canSupport={canSupport}
              canResolve={canResolve}
              open={resolving === segment.id}
              setOpen={(open) => setResolving(open ? segment.id : null)}
            />
          </li>
        ))}
      </ul>
    </div>
  );
}

function SegmentGroup({
  c,
  segment,
  k,
  ctl,
  state,
  canSupport,
  canResolve,
  open,
  setOpen,
}: {
  c: ClauseView;
  segment: SegmentView;
  k: number;
  ctl: SessionController;
  state: SessionState;
  canSupport: boolean;
  canResolve: boolean;
  open: boolean;
  setOpen: (open: boolean) => void;
}) {
  const { t } = useI18n();
  const titleId = useId();
  const resolveButton = useRef<HTMLButtonElement>(null);
  const { run, busy, error } = useAction();
  const single = segment.options.length === 1;
  const name = t(single ? 'segments.bracketK' : 'segments.alternativesK', { k });
  const observer = state.me.role === 'observer';
  const ours = state.me.partyId;

  const support = (optionId: string | null) =>
    run(async () => {
      try {
        ctl.dispatch({
          type: 'agreement',
          view: await api.support(ctl.sessionId, c.id, segment.id, { baseVersion: c.version, optionId }),
        });
      } catch (e) {
        await refreshAfterConflict(ctl, e);
        throw e;
      }
    });
  const close = () => {
    setOpen(false);
    resolveButton.current?.focus();
  };

  return (
    <div role="group" aria-labelledby={titleId} className={`segment-group ${single ? 'is-bracket' : 'is-alternatives'}`}>
      <p id={titleId} className="segment-name">
        {name}
      </p>
      <ul className="segment-options">
        {segment.options.map((o) => {
          const oursHere = !!ours && o.supportedBy.includes(ours);
          const names = o.supportedBy.map((p) => partyName(state, p)).filter((n): n is string => !!n);
          return (
            <li key={o.id} className={oursHere ? 'segment-option ours' : 'segment-option'}>
              <p className="option-wording">
                <span className="option-label">
                  {single ? t('segments.bracketedShown') : t('segments.altShown', { letter: letter(t, o.id) })}
                </span>
                <bdi dir="auto">{o.text}</bdi>
              </p>
              {!observer && (
                <p className="option-support">
                  {names.length ? t('segments.supportedBy', { names: names.join(t('segments.listSeparator')) }) : t('segments.noSupport')}
                  {oursHere && <span className="option-ours"> ({t('segments.ours')})</span>}
                </p>
              )}
              {canSupport && (
                <div className="row">
                  {oursHere ? (
                    <button type="button" className="quiet" disabled={busy} onClick={() => void support(null)}>
                      {t('segments.withdraw')}
                    </button>
                  ) : (
                    <button type="button" disabled={busy} onClick={() => void support(o.id)}>
                      {single ? t('segments.supportBracket') : t('segments.support', { alt: altName(t, o.id) })}
                    </button>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <ErrorNote error={error} />
      {canResolve && (
        <div className="row">
          <button ref={resolveButton} type="button" className="quiet" aria-expanded={open} onClick={() => (open ? close() : setOpen(true))}>
            {t(single ? 'segments.resolveBracket' : 'segments.resolveAlternatives', { k })}
          </button>
        </div>
      )}
      {canResolve && open && <ResolveForm c={c} segment={segment} k={k} ctl={ctl} state={state} onClose={close} />}
    </div>
  );
}

type Way = '' | 'reword' | 'strike' | `option:${string}`;

function choiceOf(pick: Way, text: string): ResolveChoice | null {
  if (pick === 'strike') return { kind: 'strike' };
  if (pick === 'reword') return text.trim() ? { kind: 'reword', text } : null;
  if (pick.startsWith('option:')) return { kind: 'option', optionId: pick.slice('option:'.length) };
  return null;
}

/**
 * The mediator resolves one segment: choose an option, reword, or strike it. The preview is the
 * clause after the resolution as a redline against how it reads now, computed from the live
 * clause with the server's own rule; what the server would refuse is said there, before Apply.
 */
function ResolveForm({
  c,
  segment,
  k,
  ctl,
  state,
  onClose,
}: {
  c: ClauseView;
  segment: SegmentView;
  k: number;
  ctl: SessionController;
  state: SessionState;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const ids = useId();
  const roster = useRoster(state);
  const audienceId = useAudienceId();
  const form = useRef<HTMLFormElement>(null);
  const { run, busy, error } = useAction();
  const [pick, setPick] = useState<Way>('');
  const [text, setText] = useState('');
  // Typing in a long clause stays responsive: the preview follows the text when there is time.
  const deferredText = useDeferredValue(text);
  const single = segment.options.length === 1;
  const title = t(single ? 'segments.resolveBracket' : 'segments.resolveAlternatives', { k });

  useEffect(() => {
    form.current?.querySelector<HTMLInputElement>('input[type=radio]')?.focus();
  }, []);

  const choice = useMemo(() => choiceOf(pick, deferredText), [pick, deferredText]);
  const preview = useMemo<ResolvePreview | null>(() => {
    if (!choice) return null;
    const prefix = (id: string) => t('segments.altShown', { letter: letter(t, id) });
    return resolvePreview(c, segment.id, choice, (w) => displayWording(w, prefix, t('segments.altSeparator')));
  }, [c, segment.id, choice, t]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const now = choiceOf(pick, text);
    const checked = now && resolvePreview(c, segment.id, now);
    if (!checked?.ok) return;
    void run(async () => {
      try {
        const view = await api.editText(ctl.sessionId, {
          kind: 'resolve_option',
          clauseId: c.id,
          baseVersion: c.version,
          segmentId: segment.id,
          ...checked.request,
        });
        ctl.dispatch({ type: 'agreement', view });
        onClose();
      } catch (err) {
        await refreshAfterConflict(ctl, err);
        throw err;
      }
    });
  };

  const choosePick = (next: Way) => {
    if (next === 'reword' && !text) setText(segment.options[0]?.text ?? '');
    setPick(next);
  };

  return (
    <form ref={form} className="card resolve-form" aria-labelledby={`${ids}-title`} onSubmit={submit}>
      <h5 id={`${ids}-title`}>{title}</h5>
      <fieldset className="resolve-choices">
        <legend>{t('segments.how')}</legend>
        {segment.options.map((o) => (
          <div key={o.id} className="resolve-choice">
            <label className="inline">
              <input
                type="radio"
                name={`${ids}-pick`}
                value={`option:${o.id}`}
                checked={pick === `option:${o.id}`}
                aria-describedby={`${ids}-opt-${o.id}`}
                onChange={() => choosePick(`option:${o.id}`)}
              />
              {t('segments.choose', { alt: altName(t, o.id) })}
            </label>
            <bdi id={`${ids}-opt-${o.id}`} className="choice-text" dir="auto">
              {o.text}
            </bdi>
          </div>
        ))}
        <div className="resolve-choice">
          <label className="inline">
            <input type="radio" name={`${ids}-pick`} value="reword" checked={pick === 'reword'} onChange={() => choosePick('reword')} />
            {t('segments.reword')}
          </label>
          {pick === 'reword' && (
            <label className="new-wording">
              {t('segments.newWording')}
              <textarea dir="auto" rows={2} value={text} onChange={(e) => setText(e.target.value)} aria-describedby={audienceId} />
            </label>
          )}
        </div>
        <div className="resolve-choice">
          <label className="inline">
            <input type="radio" name={`${ids}-pick`} value="strike" checked={pick === 'strike'} onChange={() => choosePick('strike')} />
            {t('segments.strike')}
          </label>
        </div>
      </fieldset>
      <section className="resolve-preview" aria-labelledby={`${ids}-preview`}>
        <h6 id={`${ids}-preview`}>{t('segments.preview')}</h6>
        <div aria-live="polite">
          {preview === null ? (
            <p className="muted">{t(pick === 'reword' ? 'segments.previewType' : 'segments.previewPick')}</p>
          ) : preview.ok ? (
            <>
              <p className="muted">{t('segments.previewIntro')}</p>
              <p className="clause-text preview-text" data-testid="resolve-preview" data-after={preview.after}>
                <DiffText diff={preview.diff} />
              </p>
              <RedlineLegend />
            </>
          ) : (
            <p className="error" data-code={preview.code} data-refused={preview.refused}>
              {t(`segments.refused.${preview.refused}`, { max: MAX_OPTION_LENGTH, n: cleanText(deferredText).length })}
            </p>
          )}
        </div>
      </section>
      <Audience id={audienceId} state={state} line={textAudience(viewerOf(state), roster)} note="tabledText" />
      <ErrorNote error={error} />
      <div className="row">
        <button type="submit" disabled={busy || !preview?.ok} aria-describedby={audienceId}>
          {t('segments.apply')}
        </button>
        <button type="button" className="quiet" disabled={busy} onClick={onClose}>
          {t('segments.cancel')}
        </button>
      </div>
    </form>
  );
}
