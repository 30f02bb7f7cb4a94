import { useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import { movePosition } from '../drafts/splice';
import type { DraftScope, ProposalChange, ProposalVisibility } from '@parley/contracts';
import { LiveDraft } from '../drafts/live-draft';
import { useI18n } from '../i18n/i18n';
import { api } from '../lib/api';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import type { SessionState } from '../state/session-state';
import { ErrorNote } from './shell';
import { Select } from './select';

/**
 * A live draft written together — the delegation inside its caucus, or the mediators — and the
 * proposal made from it: a new clause or a replacement, kept private or tabled to every party.
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
    <DraftEditor draft={draft} ctl={ctl} state={state} title={scope.kind === 'party' ? t('draft.partyTitle') : t('draft.mediatorsTitle')} />
  );
}

function DraftEditor({ draft, ctl, state, title }: { draft: LiveDraft; ctl: SessionController; state: SessionState; title: string }) {
  const { t } = useI18n();
  const value = useSyncExternalStore(draft.subscribe, () => draft.value);
  const area = useRef<HTMLTextAreaElement>(null);
  const caret = useRef<[number, number] | null>(null);
  // Someone else's change moves this editor's caret with the text, not to the end.
  useEffect(
    () =>
      draft.onRemoteChange((delta) => {
        const el = area.current;
        if (el && document.activeElement === el)
          caret.current = [movePosition(el.selectionStart, delta), movePosition(el.selectionEnd, delta)];
      }),
    [draft],
  );
  useLayoutEffect(() => {
    const el = area.current;
    if (el && caret.current) el.setSelectionRange(...caret.current);
    caret.current = null;
  }, [value]);
  const error = useSyncExternalStore(draft.subscribe, () => draft.error);
  const clauses = state.agreement?.clauses ?? [];
  const [target, setTarget] = useState('new');
  const [visibility, setVisibility] = useState<ProposalVisibility>(ctl.isMediator ? 'tabled' : 'private');
  const [rationale, setRationale] = useState('');
  const proposal = useAction();
  const idem = useRef(crypto.randomUUID());

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
    <section aria-labelledby="draft-title" className="draft">
      <h3 id="draft-title">{title}</h3>
      <p className="muted">{t('draft.hint')}</p>
      <label>
        {t('draft.label')}
        <textarea ref={area} dir="auto" className="draft-text" value={value} onChange={(e) => draft.setValue(e.target.value)} rows={5} />
      </label>
      {error && (
        <div className="draft-error">
          <span className="muted">{t('draft.syncError')}</span> <ErrorNote error={error} />
        </div>
      )}
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
        <ErrorNote error={proposal.error} />
        <button type="submit" disabled={proposal.busy || !value.trim()}>
          {t('draft.propose')}
        </button>
      </form>
    </section>
  );
}
