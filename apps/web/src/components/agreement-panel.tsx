import { useState, type FormEvent } from 'react';
import type { AgreementView, ClauseView, RedlineView } from '@parley/contracts';
import { useI18n } from '../i18n/i18n';
import { api } from '../lib/api';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import { type SessionState, textIsDrafting } from '../state/session-state';
import { clauseStateLabel } from '../views/labels';
import { DiffText } from './diff-text';
import { partyName } from './presence-board';
import { ReauthPassword } from './password-field';
import { ErrorNote } from './shell';
import { AddClause, EditClause } from '../text/clause-editor';
import { ClauseProposals, OtherProposals } from '../text/clause-proposals';
import { ClauseText } from '../text/clause-text';
import { DeleteClause } from '../text/delete-clause';
import { Finalise } from '../text/finalise-checklist';
import { SegmentPanel } from '../text/segment-panel';
import type { Part } from '../text/wording-parts';
import { textAudience } from '@parley/agreement/domain/audience.policy';
import { Audience, useAudienceId, useRoster, viewerOf } from '../audience/audience';

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
  const roster = useRoster(state);
  const audienceId = useAudienceId();
  if (!a) return <p className="muted">{t('app.loading')}</p>;
  // A closed session keeps its text to read and download; nothing on it can change any more.
  const drafting = textIsDrafting(state);

  return (
    <section aria-labelledby="text-title" aria-describedby={audienceId} className="agreement">
      <div className="row">
        <h3 id="text-title">{t('text.title')}</h3>
        <span className="badge" data-testid="agreement-status">
          {t(`text.status.${a.status}`)}
        </span>
      </div>
      <Audience id={audienceId} state={state} line={textAudience(viewerOf(state), roster)} note="tabledText" />
      <FinalText ctl={ctl} state={state} a={a} />
      {a.clauses.length === 0 && <p className="muted">{t('text.empty')}</p>}
      <ol className="clauses">
        {a.clauses.map((c) => (
          <Clause key={c.id} c={c} ctl={ctl} state={state} />
        ))}
      </ol>
      {mediator && drafting && <AddClause ctl={ctl} state={state} />}
      {mediator && drafting && <Finalise ctl={ctl} a={a} state={state} />}
      {role !== 'observer' && <OtherProposals ctl={ctl} state={state} />}
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
      <ReauthPassword
        label={t('text.signOff.password')}
        value={password}
        onChange={setPassword}
        error={error}
        wrongSentence={t('text.signOff.wrongPassword')}
      />
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
  // Parts with a bracket made in the read view: the editor opens on them (nothing saved until Save).
  const [bracketed, setBracketed] = useState<Part[] | undefined>(undefined);
  const drafting = textIsDrafting(state);
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
    <li
      id={`clause-${c.id}`}
      tabIndex={-1}
      className={`clause state-${c.state}`}
      data-testid="clause"
      aria-label={t('text.clauseAria', { n: c.number })}
    >
      <div className="row">
        <strong>{c.number}.</strong> {c.heading && <strong>{c.heading}</strong>}
        <span className={`badge clause-${c.state}`}>{clauseStateLabel(t, c.state)}</span>
        <span className="muted">v{c.version}</span>
      </div>
      <ClauseText
        c={c}
        state={state}
        ctl={ctl}
        onBracket={(parts) => {
          setBracketed(parts);
          setEditing(true);
        }}
      />
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
          <button
            type="button"
            className="quiet"
            onClick={() => {
              setBracketed(undefined);
              setEditing(!editing);
            }}
            aria-expanded={editing}
          >
            {t('text.edit')}
          </button>
        )}
      </div>
      <SegmentPanel c={c} ctl={ctl} state={state} />
      {editing && (
        <EditClause
          c={c}
          ctl={ctl}
          state={state}
          initialParts={bracketed}
          onDone={() => {
            setBracketed(undefined);
            setEditing(false);
          }}
        />
      )}
      {editing && <DeleteClause c={c} ctl={ctl} />}
      <ErrorNote error={error} />
      {state.me.role !== 'observer' && <ClauseProposals c={c} ctl={ctl} state={state} />}
    </li>
  );
}
