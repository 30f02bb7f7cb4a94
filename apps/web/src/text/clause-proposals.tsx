import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ClauseView, ProposalChange, ProposalView, ProposalVisibility, WordingInput } from '@parley/contracts';
import { useI18n, type Translate } from '../i18n/i18n';
import { api } from '../lib/api';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import { type SessionState, textIsDrafting } from '../state/session-state';
import { DiffText } from '../components/diff-text';
import { partyName } from '../components/presence-board';
import { ErrorNote } from '../components/shell';
import { ClauseEditor } from './clause-editor';
import {
  clauseIdOf,
  counterChange,
  previewProposal,
  proposeChange,
  renderInput,
  staleness,
  type ProposalPreview,
  type SegmentStyle,
} from './proposal-redline';
import { letterOf } from './clause-text';
import { partsFromClause, partsFromWording, type Part } from './wording-parts';
import './proposals.css';
import { proposalAudience } from '@parley/agreement/domain/audience.policy';
import { Audience, useAudienceId, useRoster, viewerOf } from '../audience/audience';

const MAX_RATIONALE = 2000;

function describeChange(t: Translate, p: ProposalView, state: SessionState): string {
  const n = (clauseId: string) => state.agreement?.clauses.find((c) => c.id === clauseId)?.number ?? '?';
  switch (p.change.kind) {
    case 'insert':
      return t('proposal.kind.insert');
    case 'replace':
      return t('proposal.kind.replace', { n: n(p.change.clauseId) });
    case 'delete':
      return t('proposal.kind.delete', { n: n(p.change.clauseId) });
    case 'add_option':
      return t('proposal.kind.add_option', { n: n(p.change.clauseId) });
    case 'resolve_option':
      return t('proposal.kind.resolve_option', { n: n(p.change.clauseId) });
  }
}

/** Alternatives read as the clause above them reads: "[Alt. A: … / Alt. B: …]", in the reader's language. */
function useSegmentStyle(): SegmentStyle {
  const { t } = useI18n();
  return useMemo(
    () => ({ option: (letter: string) => t('editor.altShown', { letter: letterOf(t, letter) }), separator: t('editor.altSeparator') }),
    [t],
  );
}

/** What a decided proposal said, as it was made (its clause has moved on since). */
function wordingAsMade(change: ProposalChange, style: SegmentStyle): string | null {
  if (change.kind === 'insert' || change.kind === 'replace') return renderInput(change.wording, style);
  if (change.kind === 'add_option') return change.text;
  if (change.kind === 'resolve_option') return change.text ?? null;
  return null;
}

/**
 * A form opened by a button: `open` / `close`; closing gives the focus back to that button (once it
 * is rendered again), so a keyboard user goes on from where they were.
 */
function useDisclosure() {
  const [isOpen, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  useEffect(() => {
    if (!isOpen && refocus.current) {
      refocus.current = false;
      opener.current?.focus();
    }
  }, [isOpen]);
  const close = () => {
    refocus.current = true;
    setOpen(false);
  };
  return { isOpen, open: () => setOpen(true), close, opener };
}

const byNewest = (a: ProposalView, b: ProposalView) => b.createdAt.localeCompare(a.createdAt);

/**
 * Everything about proposals under one clause: a delegation's "Propose new wording", then the
 * proposals made on the clause, newest first, each with its redline against the clause as it now reads.
 */
export function ClauseProposals({ c, ctl, state }: { c: ClauseView; ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  const { isOpen: proposing, open: startProposing, close, opener: toggle } = useDisclosure();
  const list = Object.values(state.proposals)
    .filter((p) => clauseIdOf(p.change) === c.id)
    .sort(byNewest);
  const mayPropose = state.me.role === 'party_member' && textIsDrafting(state);
  if (!list.length && !mayPropose) return null;
  return (
    <div className="clause-proposals">
      {mayPropose &&
        (proposing ? (
          <ProposalForm
            ctl={ctl}
            state={state}
            label={t('proposals.proposeFor', { n: c.number })}
            initial={partsFromClause(c)}
            clause={c}
            defaultVisibility="private"
            submitLabel={() => t('proposals.propose')}
            makeChange={(wording, base) => (base ? proposeChange(base, wording) : null)}
            onDone={close}
          />
        ) : (
          <button type="button" className="quiet" ref={toggle} onClick={startProposing}>
            {t('proposals.proposeNew')}
          </button>
        ))}
      {list.length > 0 && (
        <ul className="proposals" aria-label={t('proposals.onClause', { n: c.number })}>
          {list.map((p) => (
            <ProposalItem key={p.id} p={p} clause={c} ctl={ctl} state={state} />
          ))}
        </ul>
      )}
    </div>
  );
}

/** Proposals not on a clause of the text: new clauses, and proposals on a clause since deleted. */
export function OtherProposals({ ctl, state }: { ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  const live = new Set(state.agreement?.clauses.map((c) => c.id) ?? []);
  const list = Object.values(state.proposals)
    .filter((p) => {
      const on = clauseIdOf(p.change);
      return on === null || !live.has(on);
    })
    .sort(byNewest);
  if (!list.length) return null;
  return (
    <section aria-labelledby="proposals-title" className="other-proposals">
      <h3 id="proposals-title">{t('proposals.other')}</h3>
      <ul className="proposals">
        {list.map((p) => (
          <ProposalItem key={p.id} p={p} clause={null} ctl={ctl} state={state} />
        ))}
      </ul>
    </section>
  );
}

function ProposalItem({
  p,
  clause,
  ctl,
  state,
}: {
  p: ProposalView;
  clause: ClauseView | null;
  ctl: SessionController;
  state: SessionState;
}) {
  const { t, locale } = useI18n();
  const { run, busy, error } = useAction();
  const [comment, setComment] = useState('');
  const { isOpen: countering, open: startCountering, close: closeCounter, opener: counterButton } = useDisclosure();
  const style = useSegmentStyle();
  const preview = useMemo(() => previewProposal(p.change, clause, style), [p.change, clause, style]);
  const from = p.origin.kind === 'mediator' ? t('proposal.fromMediator') : (partyName(state, p.origin.partyId) ?? '');
  const ours = p.origin.kind === 'party' && p.origin.partyId === state.me.partyId;
  const open = p.status === 'open' && state.status !== 'closed';
  const mayRespond = state.me.role === 'party_member' && p.visibility === 'tabled' && open && !ours && textIsDrafting(state);
  const mayCounter = mayRespond && (p.change.kind === 'insert' || clause !== null);
  const ourResponse = p.responses.find((r) => r.partyId === state.me.partyId);
  const update = (f: () => Promise<ProposalView>) => run(async () => ctl.dispatch({ type: 'proposals', proposals: [await f()] }));
  const stale = p.status === 'open' ? staleness(p.change, clause) : null;
  const answered = new Set(p.responses.map((r) => r.partyId));
  const awaiting =
    p.visibility === 'tabled' && p.status === 'open'
      ? state.session.parties
          .filter((x) => !answered.has(x.id) && !(p.origin.kind === 'party' && p.origin.partyId === x.id))
          .map((x) => x.name)
      : [];
  const counterOf = p.counterTo ? state.proposals[p.counterTo] : undefined;
  const roster = useRoster(state);
  const audienceId = useAudienceId();
  return (
    <li className="proposal" data-testid="proposal" data-status={p.status} aria-describedby={audienceId}>
      <div className="meta">
        <span className="badge">{t(`proposal.status.${p.status}`)}</span>
        <span className="badge quiet">{t(`proposal.visibility.${p.visibility}`)}</span>
        <span>
          {t('proposal.from', { from })} — {describeChange(t, p, state)}
        </span>
      </div>
      <Audience id={audienceId} state={state} line={proposalAudience(viewerOf(state), p, roster)} />
      {counterOf && (
        <p className="counter-of">
          {counterOf.origin.kind === 'mediator'
            ? t('proposals.counterToMediator')
            : t('proposals.counterToParty', { party: partyName(state, counterOf.origin.partyId) ?? '' })}
        </p>
      )}
      {stale && <p className="stale">{t('proposals.stale', { base: stale.base, now: stale.now })}</p>}
      {p.status === 'open' ? (
        <Redline change={p.change} clause={clause} preview={preview} style={style} />
      ) : (
        <AsMade change={p.change} style={style} />
      )}
      {p.rationale && (
        <p className="proposal-rationale">
          <span className="proposal-label">{t('proposals.rationaleShown')}</span> <span dir="auto">{p.rationale}</span>
        </p>
      )}
      {p.responses.length > 0 && (
        <ul className="responses">
          {p.responses.map((r) => (
            <li key={r.partyId} data-testid="response">
              {partyName(state, r.partyId)}: {t(`response.${r.response}`)}
              {r.comment ? (
                <>
                  {' — '}
                  <span dir="auto">{r.comment}</span>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {awaiting.length > 0 && (
        <p className="muted">
          {t('proposals.awaiting', { parties: new Intl.ListFormat(locale, { type: 'conjunction' }).format(awaiting) })}
        </p>
      )}
      {mayRespond && (
        <div className="row proposal-respond" role="group" aria-label={t('proposals.respond')}>
          <label className="grow">
            <span className="sr-only">{t('proposal.comment')}</span>
            <input
              dir="auto"
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              placeholder={t('proposal.comment')}
              maxLength={2000}
            />
          </label>
          {(['accept', 'reject', 'reserve'] as const).map((r) => (
            <button
              key={r}
              type="button"
              disabled={busy}
              aria-pressed={ourResponse?.response === r}
              onClick={() =>
                update(() => api.respond(ctl.sessionId, p.id, { response: r, ...(comment.trim() ? { comment: comment.trim() } : {}) }))
              }
            >
              {t(`response.do.${r}`)}
            </button>
          ))}
          {mayCounter && !countering && (
            <button type="button" className="quiet" ref={counterButton} onClick={startCountering}>
              {t('proposals.counter')}
            </button>
          )}
        </div>
      )}
      {mayCounter && countering && (
        <ProposalForm
          ctl={ctl}
          state={state}
          label={t('proposals.counterForm')}
          initial={preview ? partsFromWording(preview.becomes) : clause ? partsFromClause(clause) : []}
          clause={clause}
          defaultVisibility="tabled"
          submitLabel={(v) => (v === 'tabled' ? t('proposals.tableCounter') : t('proposals.sendCounterPrivately'))}
          makeChange={(wording, base) => counterChange(p.change, base, wording)}
          counterTo={p.id}
          onDone={closeCounter}
        />
      )}
      {open && (ctl.isMediator || ours) && (
        <div className="row">
          {ctl.isMediator && (
            <button type="button" disabled={busy} onClick={() => update(() => api.adopt(ctl.sessionId, p.id))}>
              {t('proposal.adopt')}
            </button>
          )}
          <button type="button" className="quiet" disabled={busy} onClick={() => update(() => api.withdrawProposal(ctl.sessionId, p.id))}>
            {t('proposal.withdraw')}
          </button>
        </div>
      )}
      <ErrorNote error={error} />
    </li>
  );
}

/** An open proposal against the clause as it now reads: the redline, then what the clause would read. */
function Redline({
  change,
  clause,
  preview,
  style,
}: {
  change: ProposalChange;
  clause: ClauseView | null;
  preview: ProposalPreview | null;
  style: SegmentStyle;
}) {
  const { t } = useI18n();
  if (change.kind !== 'insert' && !clause) {
    const made = wordingAsMade(change, style);
    return (
      <div className="proposal-redline">
        <p className="muted">{t('proposals.clauseGone')}</p>
        {made && <blockquote dir="auto">{made}</blockquote>}
      </div>
    );
  }
  if (!preview || !preview.diff) {
    const made = wordingAsMade(change, style);
    return (
      <div className="proposal-redline">
        <p className="muted">{t('proposals.bracketGone')}</p>
        {made && <blockquote dir="auto">{made}</blockquote>}
      </div>
    );
  }
  const unchanged = preview.diff.every((d) => d.op === 'equal');
  return (
    <div className="proposal-redline">
      <p>
        <span className="proposal-label">{change.kind === 'insert' ? t('proposals.newClause') : t('proposals.againstCurrent')}</span>{' '}
        <DiffText diff={preview.diff} />
      </p>
      {unchanged ? (
        <p className="muted">{t('proposals.noChange')}</p>
      ) : (
        change.kind !== 'insert' &&
        change.kind !== 'delete' && (
          <p>
            <span className="proposal-label">{t('proposals.wouldRead')}</span>{' '}
            <span className="proposal-after" dir="auto">
              {preview.after}
            </span>
          </p>
        )
      )}
    </div>
  );
}

/** A proposal adopted or withdrawn: what it said when it was made. */
function AsMade({ change, style }: { change: ProposalChange; style: SegmentStyle }) {
  const made = wordingAsMade(change, style);
  return made ? <blockquote dir="auto">{made}</blockquote> : null;
}

/**
 * The form that makes a proposal or a counter-proposal: the clause editor, who sees it, and why.
 * The change is made on the clause's version the form opened on; if the clause moved on meanwhile
 * the server refuses it (409) and the form offers to propose the same wording on the new version.
 */
function ProposalForm({
  ctl,
  state,
  label,
  initial,
  clause,
  defaultVisibility,
  submitLabel,
  makeChange,
  counterTo,
  onDone,
}: {
  ctl: SessionController;
  state: SessionState;
  label: string;
  initial: Part[];
  clause: ClauseView | null;
  defaultVisibility: ProposalVisibility;
  submitLabel: (v: ProposalVisibility) => string;
  makeChange: (wording: WordingInput, base: { id: string; version: number } | null) => ProposalChange | null;
  counterTo?: string;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const name = useId();
  const { run, busy, error } = useAction();
  const [visibility, setVisibility] = useState<ProposalVisibility>(defaultVisibility);
  const [rationale, setRationale] = useState('');
  const [base, setBase] = useState(() => (clause ? { id: clause.id, version: clause.version } : null));
  const [start] = useState(initial);
  const idem = useRef<string>(crypto.randomUUID());
  const wrap = useRef<HTMLDivElement>(null);
  // The button that opened the form is gone: the first wording field takes the focus.
  useEffect(() => wrap.current?.querySelector('textarea')?.focus(), []);
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
  const moved = error?.code === 'CLAUSE_VERSION_CONFLICT' && clause && base && clause.version !== base.version ? clause.version : null;

  const submit = async ({ wording }: { wording: WordingInput }): Promise<boolean> => {
    const change = makeChange(wording, base);
    if (!change) return false;
    const made = await run(() =>
      api.propose(ctl.sessionId, {
        change,
        visibility,
        ...(rationale.trim() ? { rationale: rationale.trim() } : {}),
        ...(counterTo ? { counterTo } : {}),
        clientProposalId: idem.current,
      }),
    );
    if (!made) return false;
    idem.current = crypto.randomUUID();
    ctl.dispatch({ type: 'proposals', proposals: [made] });
    onDone();
    return true;
  };

  return (
    <div className="proposal-form" ref={wrap}>
      <ClauseEditor
        label={label}
        initial={start}
        submitLabel={submitLabel(visibility)}
        onSubmit={submit}
        onCancel={onDone}
        busy={busy}
        error={error}
      >
        <fieldset className="choice">
          <legend>{t('proposals.visibility')}</legend>
          {(['private', 'tabled'] as const).map((v) => (
            <label key={v}>
              <input type="radio" name={`${name}-visibility`} value={v} checked={visibility === v} onChange={() => setVisibility(v)} />{' '}
              {t(`proposal.visibility.${v}`)}
            </label>
          ))}
        </fieldset>
        <label>
          {t('proposals.rationale')}
          <textarea
            dir="auto"
            rows={2}
            value={rationale}
            maxLength={MAX_RATIONALE}
            onChange={(e) => setRationale(e.target.value)}
            aria-describedby={audienceId}
          />
        </label>
        <Audience id={audienceId} state={state} line={audience} />
        {moved !== null && (
          <button type="button" className="quiet" onClick={() => setBase(clause && { id: clause.id, version: clause.version })}>
            {t('proposals.rebase', { v: moved })}
          </button>
        )}
      </ClauseEditor>
    </div>
  );
}
