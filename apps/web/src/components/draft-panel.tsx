import { useEffect, useId, useLayoutEffect, useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import { movePosition } from '../drafts/splice';
import type { ClauseView, DraftScope, ProposalChange, ProposalVisibility } from '@parley/contracts';
import { LiveDraft } from '../drafts/live-draft';
import { useI18n } from '../i18n/i18n';
import { api, ApiFailure } from '../lib/api';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import { type SessionState, textIsDrafting } from '../state/session-state';
import { ClauseEditor, type ClauseEditorResult } from '../text/clause-editor';
import { ClauseText } from '../text/clause-text';
import { passageBrackets, passageOf, type PassageBrackets } from '../text/draft-passage';
import { partsFromWording } from '../text/wording-parts';
import { ErrorNote } from './shell';
import { Select } from './select';
import '../text/draft.css';
import { draftAudience, proposalAudience } from '@parley/agreement/domain/audience.policy';
import { Audience, useAudienceId, useRoster, viewerOf } from '../audience/audience';

/**
 * A live draft written together — the delegation inside its caucus, or the mediators. The
 * delegation makes a proposal from it (a new clause or a replacement, private or tabled); the
 * mediators turn a passage of theirs into a change of the text, applied at once or tabled.
 */
export function DraftPanel({ ctl, state, scope }: { ctl: SessionController; state: SessionState; scope: DraftScope }) {
  const { t } = useI18n();
  const key = scope.kind === 'party' ? scope.partyId : 'mediators';
  const [draft, setDraft] = useState<LiveDraft | null>(null);
  useEffect(() => {
    // The draft listens on the socket until the cleanup: created here, not during a render.
    const d = new LiveDraft(ctl, scope);
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setDraft(d);
    return () => d.close();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ctl, key]);
  if (!draft) return null;
  return (
    <DraftEditor
      draft={draft}
      ctl={ctl}
      state={state}
      scope={scope}
      passages={scope.kind === 'mediators'}
      title={scope.kind === 'party' ? t('draft.partyTitle') : t('draft.mediatorsTitle')}
    />
  );
}

function DraftEditor({
  draft,
  ctl,
  state,
  title,
  scope,
  passages,
}: {
  draft: LiveDraft;
  scope: DraftScope;
  ctl: SessionController;
  state: SessionState;
  title: string;
  /** The mediators' draft: passages become changes of the text, instead of the delegation's proposal form. */
  passages: boolean;
}) {
  const { t } = useI18n();
  const roster = useRoster(state);
  const audienceId = useAudienceId();
  const value = useSyncExternalStore(draft.subscribe, () => draft.value);
  const area = useRef<HTMLTextAreaElement>(null);
  const caret = useRef<[number, number] | null>(null);
  // The words last selected in the draft (kept when focus moves to a button), moved with others' changes.
  const [selection, setSelection] = useState<[number, number]>([0, 0]);
  // Someone else's change moves this editor's caret with the text, not to the end.
  useEffect(
    () =>
      draft.onRemoteChange((delta) => {
        const el = area.current;
        if (el && document.activeElement === el)
          caret.current = [movePosition(el.selectionStart, delta), movePosition(el.selectionEnd, delta)];
        setSelection(([a, b]) => [movePosition(a, delta), movePosition(b, delta)]);
      }),
    [draft],
  );
  useLayoutEffect(() => {
    const el = area.current;
    if (el && caret.current) el.setSelectionRange(...caret.current);
    caret.current = null;
  }, [value]);
  const error = useSyncExternalStore(draft.subscribe, () => draft.error);
  const track = (e: { currentTarget: HTMLTextAreaElement }) => {
    const { selectionStart, selectionEnd } = e.currentTarget;
    setSelection((s) => (s[0] === selectionStart && s[1] === selectionEnd ? s : [selectionStart, selectionEnd]));
  };
  // A selection made otherwise than by mouse or keys (select all from a menu, a script): the field's own events.
  useEffect(() => {
    const el = area.current;
    if (!el || !passages) return;
    const on = () =>
      setSelection((s) => (s[0] === el.selectionStart && s[1] === el.selectionEnd ? s : [el.selectionStart, el.selectionEnd]));
    el.addEventListener('select', on);
    el.addEventListener('selectionchange', on);
    return () => {
      el.removeEventListener('select', on);
      el.removeEventListener('selectionchange', on);
    };
  }, [passages]);

  return (
    <section aria-labelledby="draft-title" className="draft">
      <h3 id="draft-title">{title}</h3>
      <p className="muted">{t('draft.hint')}</p>
      <label>
        {t('draft.label')}
        <textarea
          ref={area}
          dir="auto"
          className="draft-text"
          value={value}
          onChange={(e) => {
            draft.setValue(e.target.value);
            track(e);
          }}
          onSelect={passages ? track : undefined}
          onKeyUp={passages ? track : undefined}
          onMouseUp={passages ? track : undefined}
          rows={5}
          aria-describedby={audienceId}
        />
      </label>
      <Audience id={audienceId} state={state} line={draftAudience(viewerOf(state), scope, roster)} note="inCaucus" />
      {error && (
        <div className="draft-error">
          <span className="muted">{t('draft.syncError')}</span> <ErrorNote error={error} />
        </div>
      )}
      {passages ? (
        <PassageToText value={value} selection={selection} ctl={ctl} state={state} />
      ) : (
        <DelegationProposal value={value} ctl={ctl} state={state} />
      )}
    </section>
  );
}

/** The delegation's proposal from its caucus draft: a new clause or new wording, private or tabled. */
function DelegationProposal({ value, ctl, state }: { value: string; ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  const clauses = state.agreement?.clauses ?? [];
  const [target, setTarget] = useState('new');
  const [visibility, setVisibility] = useState<ProposalVisibility>(ctl.isMediator ? 'tabled' : 'private');
  const [rationale, setRationale] = useState('');
  const proposal = useAction();
  const idem = useRef(crypto.randomUUID());
  const roster = useRoster(state);
  const audienceId = useAudienceId();
  const me = viewerOf(state);
  const audience = proposalAudience(
    me,
    {
      visibility,
      origin: me.partyId ? { kind: 'party', partyId: me.partyId, participantId: me.id } : { kind: 'mediator', participantId: me.id },
    },
    roster,
  );

  const propose = async (e: FormEvent) => {
    e.preventDefault();
    const clause = clauses.find((c) => c.id === target);
    const wording = { text: value.trim() };
    const change: ProposalChange = clause
      ? { kind: 'replace', clauseId: clause.id, baseVersion: clause.version, wording }
      : { kind: 'insert', afterClauseId: clauses.at(-1)?.id ?? null, wording };
    const made = await proposal.run(() =>
      api.propose(ctl.sessionId, {
        change,
        visibility,
        ...(rationale.trim() ? { rationale: rationale.trim() } : {}),
        clientProposalId: idem.current,
      }),
    );
    if (made) {
      ctl.dispatch({ type: 'proposals', proposals: [made] });
      idem.current = crypto.randomUUID();
      setRationale('');
    }
  };

  return (
    <form onSubmit={propose} className="stack">
      <Select label={t('draft.target')} value={target} onChange={setTarget}>
        <option value="new">{t('draft.newClause')}</option>
        {clauses.map((c) => (
          <option key={c.id} value={c.id}>
            {t('draft.replaceClause', { n: c.number })}
          </option>
        ))}
      </Select>
      {!ctl.isMediator && (
        <fieldset className="choice">
          <legend>{t('draft.visibility')}</legend>
          <label>
            <input type="radio" name="vis" checked={visibility === 'private'} onChange={() => setVisibility('private')} />{' '}
            {t('proposal.visibility.private')}
          </label>
          <label>
            <input type="radio" name="vis" checked={visibility === 'tabled'} onChange={() => setVisibility('tabled')} />{' '}
            {t('proposal.visibility.tabled')}
          </label>
        </fieldset>
      )}
      <label>
        {t('draft.rationale')}
        <input value={rationale} onChange={(e) => setRationale(e.target.value)} maxLength={2000} />
      </label>
      <Audience id={audienceId} state={state} line={audience} />
      <ErrorNote error={proposal.error} />
      <button type="submit" disabled={proposal.busy || !value.trim()} aria-describedby={audienceId}>
        {t('draft.propose')}
      </button>
    </form>
  );
}

type Target = { kind: 'replace'; clauseId: string; number: number; version: number; heading: string | null } | { kind: 'insert' };

interface Opened {
  target: Target;
  passage: string;
  /** Square brackets typed in the passage that could be real ones (null: none). */
  brackets: PassageBrackets | null;
  /** Whether the editor starts with them made real (the mediator's choice; literal until then). */
  real: boolean;
  /** The editor's key: a new one starts it again from the passage. */
  key: number;
}

/**
 * The mediators' passage (the words selected in their draft, or all of it) as new wording of a
 * clause or as a new clause, in the clause editor: applied to the text at once (editText, on the
 * clause's version when the editor opened) or tabled as a proposal.
 */
function PassageToText({
  value,
  selection,
  ctl,
  state,
}: {
  value: string;
  selection: [number, number];
  ctl: SessionController;
  state: SessionState;
}) {
  const { t } = useI18n();
  const clauses = state.agreement?.clauses ?? [];
  const drafting = textIsDrafting(state);
  const [chosen, setChosen] = useState('');
  const clause = clauses.find((c) => c.id === chosen) ?? clauses[0];
  const [opened, setOpened] = useState<Opened | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [rationale, setRationale] = useState('');
  /** Someone changed the clause since the editor opened: its new version is shown, and the next attempt is based on it. */
  const [conflict, setConflict] = useState(false);
  const action = useAction();
  const idem = useRef(crypto.randomUUID());
  const tabling = useRef(false);
  const editorBox = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLButtonElement | null>(null);
  const passage = passageOf(value, selection[0], selection[1]);
  const describedBy = useId();

  useEffect(() => {
    if (opened) editorBox.current?.querySelector<HTMLTextAreaElement>('textarea')?.focus();
  }, [opened?.key]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!ctl.isMediator || !drafting) return null;

  const open = (target: Target, button: HTMLButtonElement) => {
    opener.current = button;
    const brackets = passageBrackets(passage.text);
    setOpened({ target, passage: passage.text, brackets, real: false, key: (opened?.key ?? 0) + 1 });
    setDone(null);
    setConflict(false);
    setRationale('');
  };
  const close = () => {
    setOpened(null);
    setConflict(false);
    opener.current?.focus();
  };

  const current: ClauseView | undefined =
    opened?.target.kind === 'replace' ? clauses.find((c) => c.id === (opened.target as { clauseId: string }).clauseId) : undefined;

  const submit = async ({ heading, wording }: ClauseEditorResult): Promise<boolean> => {
    if (!opened) return false;
    const table = tabling.current;
    tabling.current = false;
    const target = opened.target;
    const change: ProposalChange =
      target.kind === 'replace'
        ? {
            kind: 'replace',
            clauseId: target.clauseId,
            baseVersion: conflict && current ? current.version : target.version,
            heading,
            wording,
          }
        : { kind: 'insert', afterClauseId: clauses.at(-1)?.id ?? null, heading, wording };
    const said = await action.run(async () => {
      try {
        if (table) {
          const made = await api.propose(ctl.sessionId, {
            change,
            visibility: 'tabled',
            ...(rationale.trim() ? { rationale: rationale.trim() } : {}),
            clientProposalId: idem.current,
          });
          ctl.dispatch({ type: 'proposals', proposals: [made] });
          idem.current = crypto.randomUUID();
          return t('draft.passage.tabledAs');
        }
        const view = await api.editText(ctl.sessionId, change);
        ctl.dispatch({ type: 'agreement', view });
        return target.kind === 'replace'
          ? t('draft.passage.applied', { n: view.clauses.find((c) => c.id === target.clauseId)?.number ?? target.number })
          : t('draft.passage.insertedAs', { n: view.clauses.at(-1)?.number ?? view.clauses.length });
      } catch (e) {
        // "Read the new version and try again": it is shown below, and the next attempt is based on it.
        if (ApiFailure.of(e).code === 'CLAUSE_VERSION_CONFLICT') setConflict(true);
        throw e;
      }
    });
    if (said === undefined) return false;
    setDone(said);
    close();
    return true;
  };

  const empty = !passage.text;
  const editorLabel = opened?.target.kind === 'replace' ? t('draft.replaceClause', { n: opened.target.number }) : t('draft.newClause');
  return (
    <div className="stack draft-passage" role="group" aria-label={t('draft.passage.group')}>
      <p id={describedBy} className="muted">
        {empty
          ? t('draft.passage.empty')
          : passage.selected
            ? t('draft.passage.selected', { n: passage.text.length })
            : t('draft.passage.whole')}
      </p>
      <div className="row draft-passage-actions">
        {clause && (
          <>
            <Select label={t('draft.passage.clause')} value={clause.id} onChange={setChosen}>
              {clauses.map((c) => (
                <option key={c.id} value={c.id}>
                  {t('text.clauseAria', { n: c.number })}
                </option>
              ))}
            </Select>
            <button
              type="button"
              disabled={empty}
              aria-describedby={describedBy}
              onClick={(e) =>
                open(
                  { kind: 'replace', clauseId: clause.id, number: clause.number, version: clause.version, heading: clause.heading ?? null },
                  e.currentTarget,
                )
              }
            >
              {t('draft.passage.useAsWording', { n: clause.number })}
            </button>
          </>
        )}
        <button type="button" disabled={empty} aria-describedby={describedBy} onClick={(e) => open({ kind: 'insert' }, e.currentTarget)}>
          {t('draft.passage.insert')}
        </button>
      </div>
      <p role="status" className="draft-passage-done">
        {done}
      </p>
      {opened && (
        <div
          ref={editorBox}
          className="stack"
          // Any click in the editor but "Table as a proposal" (its own submit, Enter in a field) applies.
          onClickCapture={() => {
            tabling.current = false;
          }}
        >
          <h4 className="draft-editor-title">{editorLabel}</h4>
          {opened.brackets && (
            <div className="notice draft-brackets">
              <p>
                {t('draft.passage.brackets', { n: opened.brackets.count, example: opened.brackets.example })}{' '}
                {opened.real ? t('draft.passage.bracketsMade') : t('draft.passage.bracketsKept')}
              </p>
              <button type="button" className="quiet" onClick={() => setOpened({ ...opened, real: !opened.real, key: opened.key + 1 })}>
                {opened.real ? t('draft.passage.keepBrackets') : t('draft.passage.makeBrackets')}
              </button>
            </div>
          )}
          <ClauseEditor
            key={opened.key}
            label={editorLabel}
            initial={partsFromWording(opened.real && opened.brackets ? opened.brackets.wording : { text: opened.passage })}
            heading={opened.target.kind === 'replace' ? opened.target.heading : null}
            withHeading
            submitLabel={t('draft.passage.apply')}
            onSubmit={submit}
            onCancel={close}
            busy={action.busy}
            error={action.error}
            keepSupport={false}
          >
            {conflict && current && (
              <div className="draft-now">
                <p>{t('draft.passage.nowReads', { n: current.number })}</p>
                <ClauseText c={current} state={state} />
              </div>
            )}
            <label>
              {t('draft.rationale')}
              <input dir="auto" value={rationale} onChange={(e) => setRationale(e.target.value)} maxLength={2000} />
            </label>
            <div className="row">
              <button
                type="button"
                className="quiet"
                disabled={action.busy}
                onClick={(e) => {
                  tabling.current = true;
                  e.currentTarget.form?.requestSubmit();
                }}
              >
                {t('draft.passage.table')}
              </button>
            </div>
          </ClauseEditor>
        </div>
      )}
    </div>
  );
}
