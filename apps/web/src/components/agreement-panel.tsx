import { useState, type FormEvent } from 'react';
import type { AgreementView, ClauseView, ProposalChange, ProposalView, RedlineView } from '@parley/contracts';
import { useI18n } from '../i18n/i18n';
import { api } from '../lib/api';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import type { SessionState } from '../state/session-state';
import { clauseStateLabel } from '../views/labels';
import { DiffText } from './diff-text';
import { partyName } from './presence-board';
import { ErrorNote } from './shell';

/**
 * The single negotiating text. Everyone reads the clauses with their state; a delegation marks
 * them and answers tabled proposals; the mediator edits, adopts, finalises; heads sign off.
 * Observers get what the server gives them — the tabled text — and no control that writes.
 */
export function AgreementPanel({ ctl, state }: { ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  const a = state.agreement;
  const role = state.me.role;
  const mediator = ctl.isMediator;
  const { run, busy, error } = useAction();
  if (!a) return <p className="muted">{t('app.loading')}</p>;
  const allAgreed = a.clauses.length > 0 && a.clauses.every((c) => c.state === 'agreed');
  // A closed session keeps its text to read and download; nothing on it can change any more.
  const drafting = a.status === 'drafting' && state.status !== 'closed';

  return (
    <section aria-labelledby="text-title" className="agreement">
      <div className="row">
        <h3 id="text-title">{t('text.title')}</h3>
        <span className="badge" data-testid="agreement-status">
          {t(`text.status.${a.status}`)}
        </span>
      </div>
      <FinalText ctl={ctl} state={state} a={a} />
      <ErrorNote error={error} />
      {a.clauses.length === 0 && <p className="muted">{t('text.empty')}</p>}
      <ol className="clauses">
        {a.clauses.map((c) => (
          <Clause key={c.id} c={c} ctl={ctl} state={state} />
        ))}
      </ol>
      {mediator && drafting && <AddClause ctl={ctl} state={state} />}
      {mediator && drafting && (
        <button
          type="button"
          disabled={busy || !allAgreed}
          onClick={() => run(async () => ctl.dispatch({ type: 'agreement', view: await api.finalise(ctl.sessionId) }))}
        >
          {t('text.finalise')}
        </button>
      )}
      {role !== 'observer' && <Proposals ctl={ctl} state={state} />}
    </section>
  );
}

/**
 * The final text: its hash, who signed it off, its downloads, and the head's sign-off while the
 * session is not closed. Shown in the text panel and on the closed page.
 */
export function FinalText({ ctl, state, a }: { ctl: SessionController; state: SessionState; a: AgreementView }) {
  const { t } = useI18n();
  if (a.status === 'drafting' || !a.finalSha256) return null;
  const sha256 = a.finalSha256;
  const signedByUs = a.signOffs.some((s) => s.partyId === state.me.partyId);
  const maySign = state.me.role === 'party_member' && state.me.isHead && !signedByUs && state.status !== 'closed';
  return (
    <div className="final" role="status">
      <p>
        {t('text.finalHash')} <code className="hash">{sha256}</code>
      </p>
      <ul>
        {state.session.parties.map((p) => {
          const s = a.signOffs.find((x) => x.partyId === p.id);
          return (
            <li key={p.id} data-testid="signoff">
              {p.name}: {s ? t('text.signedBy', { name: s.signedBy }) : t('text.notSigned')}
            </li>
          );
        })}
      </ul>
      <ExportLinks ctl={ctl} sha256={sha256} />
      {maySign && <SignOffCeremony ctl={ctl} state={state} a={a} sha256={sha256} />}
    </div>
  );
}

/**
 * The head's sign-off: what is being signed (the title, the number of clauses and the SHA-256 the
 * server computed from the canonical text), confirmed by typing the password again — the server
 * checks it afresh, a valid sign-in is not enough. A wrong one is said plainly, and nothing is signed.
 */
function SignOffCeremony({ ctl, state, a, sha256 }: { ctl: SessionController; state: SessionState; a: AgreementView; sha256: string }) {
  const { t } = useI18n();
  const { run, busy, error } = useAction();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        {t('text.signOff')}
      </button>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      try {
        ctl.dispatch({ type: 'agreement', view: await api.signOff(ctl.sessionId, sha256, password) });
      } finally {
        setPassword('');
      }
    });
  };
  const wrongPassword = error?.code === 'INVALID_CREDENTIALS';
  return (
    <form className="card signoff-ceremony" aria-labelledby="signoff-title" onSubmit={submit}>
      <h4 id="signoff-title">{t('text.signOff.confirmTitle')}</h4>
      <dl>
        <dt>{t('text.signOff.documentTitle')}</dt>
        <dd data-testid="signoff-title">{state.session.title}</dd>
        <dt>{t('text.signOff.clauseCount')}</dt>
        <dd data-testid="signoff-clauses">{a.clauses.length}</dd>
        <dt>SHA-256</dt>
        <dd>
          <code className="hash" data-testid="signoff-hash">
            {sha256}
          </code>
        </dd>
      </dl>
      <p>{t('text.signOff.intro')}</p>
      <label>
        {t('text.signOff.password')}
        <input
          type="password"
          autoComplete="current-password"
          required
          value={password}
          aria-invalid={wrongPassword || undefined}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {wrongPassword ? (
        <p className="error" role="alert" data-code={error.code} data-field="password">
          {t('text.signOff.wrongPassword')}
        </p>
      ) : (
        <ErrorNote error={error} />
      )}
      <div className="row">
        <button type="submit" disabled={busy || !password}>
          {t('text.signOff.confirm')}
        </button>
        <button type="button" className="quiet" disabled={busy} onClick={() => setOpen(false)}>
          {t('text.signOff.cancel')}
        </button>
      </div>
    </form>
  );
}

/** The final text as Markdown, HTML or the exact JSON whose SHA-256 the heads signed. */
function ExportLinks({ ctl, sha256 }: { ctl: SessionController; sha256: string }) {
  const { t } = useI18n();
  const { run, busy, error } = useAction();
  const save = (format: 'markdown' | 'html' | 'json') =>
    run(async () => {
      const blob = await api.exportText(ctl.sessionId, format);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `agreement-${sha256.slice(0, 12)}.${{ markdown: 'md', html: 'html', json: 'json' }[format]}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    });
  return (
    <div className="row">
      <span>{t('text.download')}</span>
      {(['markdown', 'html', 'json'] as const).map((f) => (
        <button key={f} type="button" className="quiet" disabled={busy} onClick={() => save(f)}>
          {t(`text.download.${f}`)}
        </button>
      ))}
      <ErrorNote error={error} />
    </div>
  );
}

function Clause({ c, ctl, state }: { c: ClauseView; ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  const { run, busy, error } = useAction();
  const [redline, setRedline] = useState<RedlineView | null>(null);
  const [editing, setEditing] = useState(false);
  const drafting = state.agreement?.status === 'drafting' && state.status !== 'closed';
  const partyMember = state.me.role === 'party_member';
  const ourMark = c.marks.find((m) => m.partyId === state.me.partyId)?.level ?? 'none';
  const mark = (level: 'none' | 'ad_referendum' | 'agreed') =>
    run(async () => ctl.dispatch({ type: 'agreement', view: await api.mark(ctl.sessionId, c.id, { baseVersion: c.version, level }) }));
  const showChanges = () =>
    run(async () => {
      if (redline) return setRedline(null);
      setRedline(await api.redline(ctl.sessionId, c.id, c.version - 1, c.version));
    });
  return (
    <li className={`clause state-${c.state}`} data-testid="clause" aria-label={t('text.clauseAria', { n: c.number })}>
      <div className="row">
        <strong>{c.number}.</strong> {c.heading && <strong>{c.heading}</strong>}
        <span className={`badge clause-${c.state}`}>{clauseStateLabel(t, c.state)}</span>
        <span className="muted">v{c.version}</span>
      </div>
      <p className="clause-text" dir="auto">
        {c.rendered}
      </p>
      {c.marks.length > 0 && (
        <p className="muted">{c.marks.map((m) => `${partyName(state, m.partyId)}: ${t(`mark.${m.level}`)}`).join(' · ')}</p>
      )}
      {redline && (
        <p className="redline-box">
          {t('text.changesFrom', { from: redline.from, to: redline.to })} <DiffText diff={redline.diff} />
        </p>
      )}
      <div className="row">
        {state.me.role !== 'observer' && c.version > 1 && (
          <button type="button" className="quiet" disabled={busy} aria-expanded={redline !== null} onClick={showChanges}>
            {t('text.showChanges')}
          </button>
        )}
        {partyMember && drafting && c.state !== 'bracketed' && (
          <>
            {ourMark === 'none' && (
              <button type="button" disabled={busy} onClick={() => mark('ad_referendum')}>
                {t('mark.do.ad_referendum')}
              </button>
            )}
            {ourMark === 'ad_referendum' && (
              <button type="button" disabled={busy} onClick={() => mark('agreed')}>
                {t('mark.do.agreed')}
              </button>
            )}
            {ourMark !== 'none' && (
              <button type="button" className="quiet" disabled={busy} onClick={() => mark('none')}>
                {t('mark.do.none')}
              </button>
            )}
          </>
        )}
        {ctl.isMediator && drafting && (
          <button type="button" className="quiet" onClick={() => setEditing(!editing)} aria-expanded={editing}>
            {t('text.edit')}
          </button>
        )}
      </div>
      {editing && <EditClause c={c} ctl={ctl} onDone={() => setEditing(false)} />}
      <ErrorNote error={error} />
    </li>
  );
}

function EditClause({ c, ctl, onDone }: { c: ClauseView; ctl: SessionController; onDone: () => void }) {
  const { t } = useI18n();
  const [text, setText] = useState(c.segments.length ? c.text : c.rendered);
  const { run, busy, error } = useAction();
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const change: ProposalChange = {
      kind: 'replace',
      clauseId: c.id,
      baseVersion: c.version,
      wording: { text, segments: c.segments.map((s) => ({ options: s.options.map((o) => ({ text: o.text })) })) },
    };
    const done = await run(async () => {
      ctl.dispatch({ type: 'agreement', view: await api.editText(ctl.sessionId, change) });
      return true;
    });
    if (done) onDone();
  };
  return (
    <form onSubmit={save} className="stack">
      <label>
        {t('text.wording')}
        <textarea dir="auto" value={text} onChange={(e) => setText(e.target.value)} rows={3} />
      </label>
      <ErrorNote error={error} />
      <div className="row">
        <button type="submit" disabled={busy}>
          {t('text.save')}
        </button>
        <button
          type="button"
          className="quiet"
          disabled={busy}
          onClick={() =>
            run(async () => {
              ctl.dispatch({
                type: 'agreement',
                view: await api.editText(ctl.sessionId, { kind: 'delete', clauseId: c.id, baseVersion: c.version }),
              });
              onDone();
            })
          }
        >
          {t('text.delete')}
        </button>
      </div>
    </form>
  );
}

function AddClause({ ctl, state }: { ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  const [heading, setHeading] = useState('');
  const [text, setText] = useState('');
  const { run, busy, error } = useAction();
  const last = state.agreement?.clauses.at(-1)?.id ?? null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await run(async () => {
      ctl.dispatch({
        type: 'agreement',
        view: await api.editText(ctl.sessionId, {
          kind: 'insert',
          afterClauseId: last,
          heading: heading.trim() || null,
          wording: { text },
        }),
      });
      return true;
    });
    if (done) {
      setHeading('');
      setText('');
    }
  };
  return (
    <details className="add-clause">
      <summary>{t('text.addClause')}</summary>
      <form onSubmit={submit} className="stack">
        <label>
          {t('text.heading')}
          <input value={heading} onChange={(e) => setHeading(e.target.value)} maxLength={200} />
        </label>
        <label>
          {t('text.wording')}
          <textarea dir="auto" value={text} onChange={(e) => setText(e.target.value)} rows={3} required />
        </label>
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          {t('text.insert')}
        </button>
      </form>
    </details>
  );
}

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

function Proposals({ ctl, state }: { ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  const list = Object.values(state.proposals).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
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
