import { useState } from 'react';
import type { ClauseView, ProposalView } from '@parley/contracts';
import { useI18n } from '../i18n/i18n';
import { api } from '../lib/api';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import type { SessionState } from '../state/session-state';
import { partyName } from '../components/presence-board';
import { ErrorNote } from '../components/shell';

function describeChange(t: ReturnType<typeof useI18n>['t'], p: ProposalView, state: SessionState): string {
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

function wordingOf(p: ProposalView): string | null {
  const c = p.change;
  if (c.kind === 'insert' || c.kind === 'replace') return c.wording.text;
  if (c.kind === 'add_option') return c.text;
  if (c.kind === 'resolve_option') return c.text ?? null;
  return null;
}

const byNewest = (a: ProposalView, b: ProposalView) => b.createdAt.localeCompare(a.createdAt);
const clauseOf = (p: ProposalView): string | null => (p.change.kind === 'insert' ? null : p.change.clauseId);

/** The proposals on one clause, beside it. */
export function ClauseProposals({ c, ctl, state }: { c: ClauseView; ctl: SessionController; state: SessionState }) {
  const list = Object.values(state.proposals)
    .filter((p) => clauseOf(p) === c.id)
    .sort(byNewest);
  if (!list.length) return null;
  return (
    <ul className="proposals">
      {list.map((p) => (
        <ProposalItem key={p.id} p={p} ctl={ctl} state={state} />
      ))}
    </ul>
  );
}

/** Proposals not on a clause of the text: new clauses, and proposals on a clause since deleted. */
export function OtherProposals({ ctl, state }: { ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  const live = new Set(state.agreement?.clauses.map((c) => c.id) ?? []);
  const list = Object.values(state.proposals)
    .filter((p) => {
      const on = clauseOf(p);
      return on === null || !live.has(on);
    })
    .sort(byNewest);
  return (
    <section aria-labelledby="proposals-title">
      <h3 id="proposals-title">{t('proposal.title')}</h3>
      {list.length === 0 && <p className="muted">{t('proposal.none')}</p>}
      <ul className="proposals">
        {list.map((p) => (
          <ProposalItem key={p.id} p={p} ctl={ctl} state={state} />
        ))}
      </ul>
    </section>
  );
}

function ProposalItem({ p, ctl, state }: { p: ProposalView; ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  const { run, busy, error } = useAction();
  const [comment, setComment] = useState('');
  const from = p.origin.kind === 'mediator' ? t('proposal.fromMediator') : (partyName(state, p.origin.partyId) ?? '');
  const ours = p.origin.kind === 'party' && p.origin.partyId === state.me.partyId;
  const open = p.status === 'open' && state.status !== 'closed';
  const mayRespond = state.me.role === 'party_member' && p.visibility === 'tabled' && open && !ours;
  const ourResponse = p.responses.find((r) => r.partyId === state.me.partyId);
  const update = (f: () => Promise<ProposalView>) => run(async () => ctl.dispatch({ type: 'proposals', proposals: [await f()] }));
  const wording = wordingOf(p);
  return (
    <li className="proposal" data-testid="proposal" data-status={p.status}>
      <div className="meta">
        <span className="badge">{t(`proposal.status.${p.status}`)}</span>
        <span className="badge quiet">{t(`proposal.visibility.${p.visibility}`)}</span>
        <span>
          {t('proposal.from', { from })} — {describeChange(t, p, state)}
        </span>
      </div>
      {wording && <blockquote dir="auto">{wording}</blockquote>}
      {p.rationale && (
        <p className="muted" dir="auto">
          {p.rationale}
        </p>
      )}
      {p.responses.length > 0 && (
        <ul className="responses">
          {p.responses.map((r) => (
            <li key={r.partyId} data-testid="response">
              {partyName(state, r.partyId)}: {t(`response.${r.response}`)}
              {r.comment ? ` — ${r.comment}` : ''}
            </li>
          ))}
        </ul>
      )}
      {mayRespond && (
        <div className="row">
          <label className="grow">
            <span className="sr-only">{t('proposal.comment')}</span>
            <input value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('proposal.comment')} maxLength={2000} />
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
        </div>
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
