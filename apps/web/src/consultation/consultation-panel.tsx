/* eslint-disable jsx-a11y/no-noninteractive-tabindex -- a table wider than a phone scrolls in a region that takes the focus, so that keys scroll it (axe: scrollable-region-focusable) */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import {
  REJECT_REASONS,
  type ConsultationResults,
  type ConsultationView,
  type FrozenVerification,
  type GroupTally,
  type IssuedCodes,
  type ModerationItem,
  type RejectReason,
  type StatementResult,
} from '@parley/contracts';
import { ErrorNote } from '../components/shell';
import { useI18n, type Locale, type Translate } from '../i18n/i18n';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import { consultationApi } from './consultation-api';
import './consultation.css';

/*
 * The mediators' consultation panel (issue 19), loaded the first time its tab opens (see
 * lazy/lazy-panels.tsx): create a consultation with its groups, hand out each group's link (and
 * one-time codes), moderate what respondents wrote, read the figures per group, close and freeze
 * the results, and table a summary into the session. Text and tables only.
 */

const LANGS: Locale[] = ['en', 'fr', 'ar'];
const REFRESH_MS = 5000;

/** `YYYY-MM-DDTHH:mm` in local time, as a datetime-local field holds it. */
function localInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

const linkOf = (link: string) => `${location.origin}/c/${link}`;

function useCopy(): { copy: (text: string) => Promise<void>; announce: string } {
  const { t } = useI18n();
  const [announce, setAnnounce] = useState('');
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setAnnounce(t('invites.copied'));
    } catch {
      setAnnounce(t('invites.copyFailed'));
    }
    setTimeout(() => setAnnounce(''), 4000);
  };
  return { copy, announce };
}

export function ConsultationPanel({ ctl }: { ctl: SessionController }) {
  const { t } = useI18n();
  const sessionId = ctl.sessionId;
  const [list, setList] = useState<ConsultationView[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const load = useAction();
  const loadRun = load.run;

  const reload = useCallback(
    () =>
      loadRun(() => consultationApi.list(sessionId)).then((l) => {
        if (!l) return;
        setList(l);
        setSelected((s) => (s && l.some((c) => c.id === s) ? s : (l[l.length - 1]?.id ?? null)));
      }),
    [loadRun, sessionId],
  );
  useEffect(() => {
    void reload();
    const id = setInterval(() => void reload(), REFRESH_MS);
    return () => clearInterval(id);
  }, [reload]);

  const current = list?.find((c) => c.id === selected) ?? null;
  return (
    <section className="consultation-panel" aria-labelledby="consultations-title" data-testid="consultation-panel">
      <h2 id="consultations-title">{t('consult.title')}</h2>
      <p className="muted">{t('consult.intro')}</p>
      <ErrorNote error={load.error} />
      <CreateForm
        sessionId={sessionId}
        open={list !== null && list.length === 0}
        onCreated={(c) => {
          setSelected(c.id);
          void reload();
        }}
      />
      {list && list.length > 1 && (
        <label>
          {t('consult.choose')}
          <select value={selected ?? ''} onChange={(e) => setSelected(e.target.value)}>
            {list.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        </label>
      )}
      {list?.length === 0 && <p className="muted">{t('consult.none')}</p>}
      {current && <ConsultationDetail key={current.id} sessionId={sessionId} c={current} onChanged={reload} />}
    </section>
  );
}

function CreateForm({ sessionId, open, onCreated }: { sessionId: string; open: boolean; onCreated: (c: ConsultationView) => void }) {
  const { t, locale } = useI18n();
  const [title, setTitle] = useState('');
  const [prompt, setPrompt] = useState('');
  const [excerptHeading, setExcerptHeading] = useState('');
  const [excerptText, setExcerptText] = useState('');
  const [closesAt, setClosesAt] = useState(() => localInput(new Date(Date.now() + 7 * 86_400_000)));
  const [requireCode, setRequireCode] = useState(false);
  const [groups, setGroups] = useState('');
  const [languages, setLanguages] = useState<Locale[]>([locale, ...LANGS.filter((l) => l !== locale)]);
  const { run, busy, error } = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const created = await run(() =>
      consultationApi.create(sessionId, {
        title: title.trim(),
        prompt: prompt.trim(),
        excerpts: excerptText.trim() ? [{ heading: excerptHeading.trim(), text: excerptText.trim() }] : [],
        languages,
        closesAt: new Date(closesAt).toISOString(),
        requireCode,
        groups: groups
          .split('\n')
          .map((g) => g.trim())
          .filter(Boolean)
          .map((name) => ({ name })),
      }),
    );
    if (!created) return;
    setTitle('');
    setPrompt('');
    setExcerptHeading('');
    setExcerptText('');
    setGroups('');
    onCreated(created);
  };

  return (
    <details className="card consultation-create" open={open || undefined}>
      <summary>{t('consult.new')}</summary>
      <form onSubmit={submit} className="stack">
        <label>
          {t('consult.field.title')}
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} required />
        </label>
        <label>
          {t('consult.field.prompt')}
          <textarea value={prompt} onChange={(e) => setPrompt(e.target.value)} maxLength={2000} rows={3} required />
        </label>
        <label>
          {t('consult.field.excerptHeading')}
          <input value={excerptHeading} onChange={(e) => setExcerptHeading(e.target.value)} maxLength={200} />
        </label>
        <label>
          {t('consult.field.excerptText')}
          <textarea
            value={excerptText}
            onChange={(e) => setExcerptText(e.target.value)}
            maxLength={4000}
            rows={3}
            required={excerptHeading.trim() !== ''}
          />
        </label>
        <label>
          {t('consult.field.closesAt')}
          <input type="datetime-local" value={closesAt} onChange={(e) => setClosesAt(e.target.value)} required />
        </label>
        <label>
          {t('consult.field.groups')}
          <textarea
            value={groups}
            onChange={(e) => setGroups(e.target.value)}
            rows={3}
            required
            placeholder={t('consult.field.groupsExample')}
          />
        </label>
        <fieldset>
          <legend>{t('consult.field.languages')}</legend>
          {LANGS.map((l) => (
            <label key={l} className="inline">
              <input
                type="checkbox"
                checked={languages.includes(l)}
                onChange={(e) => setLanguages((ls) => (e.target.checked ? [...ls, l] : ls.filter((x) => x !== l)))}
              />{' '}
              {t(`consult.lang.${l}`)}
            </label>
          ))}
        </fieldset>
        <label className="inline">
          <input type="checkbox" checked={requireCode} onChange={(e) => setRequireCode(e.target.checked)} />{' '}
          {t('consult.field.requireCode')}
        </label>
        <ErrorNote error={error} />
        <button type="submit" disabled={busy || languages.length === 0}>
          {t('consult.create')}
        </button>
      </form>
    </details>
  );
}

function ConsultationDetail({ sessionId, c, onChanged }: { sessionId: string; c: ConsultationView; onChanged: () => void }) {
  const { t, time } = useI18n();
  const groupName = (id: string) => c.groups.find((g) => g.id === id)?.name ?? '';
  const [results, setResults] = useState<ConsultationResults | null>(null);
  const [verification, setVerification] = useState<FrozenVerification | null>(null);
  const res = useAction();
  const closing = useAction();

  const loadResults = () => res.run(() => consultationApi.results(sessionId, c.id)).then((r) => r && setResults(r));
  const close = async () => {
    if (!confirm(t('consult.closeConfirm'))) return;
    const v = await closing.run(() => consultationApi.close(sessionId, c.id));
    if (v) {
      onChanged();
      await loadResults();
    }
  };
  const verify = () => closing.run(() => consultationApi.verify(sessionId, c.id)).then((v) => v && setVerification(v));

  return (
    <article className="consultation" data-consultation-id={c.id} aria-labelledby={`consultation-${c.id}`}>
      <h3 id={`consultation-${c.id}`}>
        <bdi>{c.title}</bdi>
      </h3>
      <p>
        <span className={`consult-status ${c.status}`} data-testid="consultation-status">
          {t(`consult.status.${c.status}`)}
        </span>{' '}
        {t('consult.closesAt', { time: `${new Date(c.closesAt).toLocaleDateString()} ${time(c.closesAt)}` })}
      </p>
      <p className="muted" data-testid="consultation-counts">
        {t('consult.counts', {
          respondents: c.counts.respondents,
          pending: c.counts.pending,
          approved: c.counts.approved,
          rejected: c.counts.rejected,
          merged: c.counts.merged,
          votes: c.counts.votes,
        })}
      </p>
      <Groups sessionId={sessionId} c={c} onChanged={onChanged} />
      {c.status !== 'closed' && <Moderation sessionId={sessionId} c={c} groupName={groupName} onChanged={onChanged} />}

      <section className="card" aria-labelledby={`results-${c.id}`}>
        <h4 id={`results-${c.id}`}>{t('consult.results')}</h4>
        <button type="button" onClick={() => void loadResults()} disabled={res.busy}>
          {results ? t('consult.results.refresh') : t('consult.results.show')}
        </button>
        <ErrorNote error={res.error} />
        {results && <Results r={results} groupName={groupName} />}
      </section>

      <section className="card" aria-labelledby={`freeze-${c.id}`}>
        <h4 id={`freeze-${c.id}`}>{t('consult.freeze')}</h4>
        {c.frozen ? (
          <>
            <p>{t('consult.frozenAt', { time: `${new Date(c.frozen.frozenAt).toLocaleDateString()} ${time(c.frozen.frozenAt)}` })}</p>
            <p>
              {t('consult.sha256')}{' '}
              <code className="hash" data-testid="frozen-sha256">
                {c.frozen.sha256}
              </code>
            </p>
            <button type="button" onClick={() => void verify()} disabled={closing.busy}>
              {t('consult.verify')}
            </button>
            {verification && (
              <p role="status" data-testid="verification">
                {verification.hashMatches && verification.recomputedMatches ? t('consult.verified') : t('consult.notVerified')}
              </p>
            )}
          </>
        ) : (
          <>
            <p className="muted">{t('consult.freezeIntro')}</p>
            <button type="button" onClick={() => void close()} disabled={closing.busy}>
              {t('consult.close')}
            </button>
          </>
        )}
        <ErrorNote error={closing.error} />
      </section>

      <TableSummaryForm sessionId={sessionId} c={c} />
    </article>
  );
}

function Groups({ sessionId, c, onChanged }: { sessionId: string; c: ConsultationView; onChanged: () => void }) {
  const { t } = useI18n();
  const { copy, announce } = useCopy();
  const [count, setCount] = useState<Record<string, number>>({});
  const [issued, setIssued] = useState<IssuedCodes | null>(null);
  const { run, busy, error } = useAction();

  const issue = async (groupId: string) => {
    const codes = await run(() => consultationApi.issueCodes(sessionId, c.id, groupId, count[groupId] ?? 10));
    if (codes) {
      setIssued(codes);
      onChanged();
    }
  };
  const issuedFor = issued ? c.groups.find((g) => g.id === issued.groupId) : undefined;

  return (
    <section className="card" aria-labelledby={`groups-${c.id}`}>
      <h4 id={`groups-${c.id}`}>{t('consult.groups')}</h4>
      <p className="sr-only" aria-live="polite" role="status">
        {announce}
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-label={t('consult.groups')}>
        <table className="consult-table">
          <thead>
            <tr>
              <th scope="col">{t('consult.group')}</th>
              <th scope="col">{t('consult.link')}</th>
              <th scope="col">{t('consult.respondents')}</th>
              {c.requireCode && <th scope="col">{t('consult.codes')}</th>}
            </tr>
          </thead>
          <tbody>
            {c.groups.map((g) => (
              <tr key={g.id} data-group-id={g.id}>
                <th scope="row">
                  <bdi>{g.name}</bdi>
                </th>
                <td>
                  <span className="invitation-link">
                    <input
                      readOnly
                      value={linkOf(g.link)}
                      aria-label={t('consult.linkFor', { group: g.name })}
                      data-testid="group-link"
                      dir="ltr"
                      onFocus={(e) => e.currentTarget.select()}
                    />
                    <button type="button" onClick={() => void copy(linkOf(g.link))}>
                      {t('invites.copy')}
                      <span className="sr-only"> — {g.name}</span>
                    </button>
                  </span>
                </td>
                <td>{g.respondents}</td>
                {c.requireCode && (
                  <td>
                    <p className="muted">{t('consult.codesCount', { issued: g.codesIssued, used: g.codesUsed })}</p>
                    {c.status !== 'closed' && (
                      <span className="inline-form">
                        <input
                          type="number"
                          min={1}
                          max={500}
                          value={count[g.id] ?? 10}
                          onChange={(e) => setCount((n) => ({ ...n, [g.id]: Number(e.target.value) }))}
                          aria-label={t('consult.codesHowMany', { group: g.name })}
                        />
                        <button type="button" disabled={busy} onClick={() => void issue(g.id)}>
                          {t('consult.issueCodes')}
                          <span className="sr-only"> — {g.name}</span>
                        </button>
                      </span>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ErrorNote error={error} />
      {issued && issuedFor && (
        <div className="issued-codes" data-testid="issued-codes">
          <label>
            {t('consult.issuedFor', { group: issuedFor.name, n: issued.codes.length })}
            <textarea readOnly rows={Math.min(8, issued.codes.length)} value={issued.codes.join('\n')} dir="ltr" />
          </label>
          <p className="muted">{t('consult.codesOnce')}</p>
          <button type="button" onClick={() => void copy(issued.codes.join('\n'))}>
            {t('consult.copyCodes')}
          </button>
        </div>
      )}
    </section>
  );
}

function Moderation({
  sessionId,
  c,
  groupName,
  onChanged,
}: {
  sessionId: string;
  c: ConsultationView;
  groupName: (id: string) => string;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const [pending, setPending] = useState<ModerationItem[] | null>(null);
  const [approved, setApproved] = useState<ModerationItem[]>([]);
  const [reasons, setReasons] = useState<Record<string, RejectReason>>({});
  const [into, setInto] = useState<Record<string, string>>({});
  const load = useAction();
  const loadRun = load.run;
  const act = useAction();

  const reload = useCallback(
    () =>
      loadRun(() =>
        Promise.all([consultationApi.statements(sessionId, c.id, 'pending'), consultationApi.statements(sessionId, c.id, 'approved')]),
      ).then((r) => {
        if (!r) return;
        setPending(r[0]);
        setApproved(r[1]);
      }),
    [loadRun, sessionId, c.id],
  );
  // Read again whenever the counts move (a new statement, a decision by another mediator).
  useEffect(() => {
    void reload();
  }, [reload, c.counts.pending, c.counts.approved]);

  const decide = async (item: ModerationItem, decision: 'approve' | 'reject' | 'merge') => {
    const body =
      decision === 'reject'
        ? { decision, reason: reasons[item.id] ?? 'off_topic' }
        : decision === 'merge'
          ? { decision, into: into[item.id] ?? approved[0]?.id }
          : { decision };
    const done = await act.run(() => consultationApi.moderate(sessionId, c.id, item.id, body));
    if (done) {
      await reload();
      onChanged();
    }
  };

  return (
    <section className="card" aria-labelledby={`moderation-${c.id}`}>
      <h4 id={`moderation-${c.id}`}>
        {t('consult.moderation')} {pending && pending.length > 0 && <span className="count">{pending.length}</span>}
      </h4>
      <ErrorNote error={load.error ?? act.error} />
      {pending?.length === 0 && <p className="muted">{t('consult.moderation.none')}</p>}
      <ul className="moderation-list">
        {(pending ?? []).map((s) => (
          <li key={s.id} data-statement-id={s.id} aria-labelledby={`statement-${s.id}`}>
            <p id={`statement-${s.id}`}>
              <span className="muted">
                {t('consult.statementFrom', { number: s.number })} <bdi>{groupName(s.groupId)}</bdi>
              </span>
              <br />
              <bdi className="statement-text">{s.text}</bdi>
            </p>
            <div className="moderation-actions">
              <button type="button" disabled={act.busy} onClick={() => void decide(s, 'approve')}>
                {t('consult.approve')}
                <span className="sr-only"> — {t('consult.statementNumber', { number: s.number })}</span>
              </button>
              <span className="inline-form">
                <select
                  value={reasons[s.id] ?? 'off_topic'}
                  onChange={(e) => setReasons((r) => ({ ...r, [s.id]: e.target.value as RejectReason }))}
                  aria-label={t('consult.reasonFor', { number: s.number })}
                >
                  {REJECT_REASONS.map((r) => (
                    <option key={r} value={r}>
                      {t(`consult.reason.${r}`)}
                    </option>
                  ))}
                </select>
                <button type="button" disabled={act.busy} onClick={() => void decide(s, 'reject')}>
                  {t('consult.reject')}
                  <span className="sr-only"> — {t('consult.statementNumber', { number: s.number })}</span>
                </button>
              </span>
              {approved.length > 0 && (
                <span className="inline-form">
                  <select
                    value={into[s.id] ?? approved[0].id}
                    onChange={(e) => setInto((r) => ({ ...r, [s.id]: e.target.value }))}
                    aria-label={t('consult.mergeInto', { number: s.number })}
                  >
                    {approved.map((a) => (
                      <option key={a.id} value={a.id}>
                        {`${a.number}. ${a.text.slice(0, 60)}`}
                      </option>
                    ))}
                  </select>
                  <button type="button" disabled={act.busy} onClick={() => void decide(s, 'merge')}>
                    {t('consult.merge')}
                    <span className="sr-only"> — {t('consult.statementNumber', { number: s.number })}</span>
                  </button>
                </span>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

const pct = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)} %`);

/** One group's figures on a statement: agree / disagree / pass and n; a figure under the minimum count is greyed and says so. */
function TallyCell({ g, t }: { g: GroupTally; t: Translate }) {
  return (
    <td className={g.few ? 'few' : undefined} data-group-id={g.groupId} data-n={g.n} data-agree={g.agree} data-few={g.few || undefined}>
      <span className="share">{pct(g.agreeShare)}</span>
      <br />
      {t('consult.tally', { agree: g.agree, disagree: g.disagree, pass: g.pass, n: g.n })}
      {g.few && (
        <>
          <br />
          <span className="few-note">{t('consult.few')}</span>
        </>
      )}
    </td>
  );
}

function Results({ r, groupName }: { r: ConsultationResults; groupName: (id: string) => string }) {
  const { t } = useI18n();
  const text = (id: string) => r.statements.find((s) => s.statementId === id)?.text ?? '';
  const consensus = r.statements.filter((s) => s.consensus);
  const divisive = r.statements.filter((s) => s.divisive);
  const statementList = (list: StatementResult[], testId: string) =>
    list.length === 0 ? (
      <p className="muted">{t('consult.noneYet')}</p>
    ) : (
      <ul data-testid={testId}>
        {list.map((s) => (
          <li key={s.statementId}>
            {s.number}. <bdi>{s.text}</bdi>
          </li>
        ))}
      </ul>
    );
  return (
    <div className="results" data-testid="consultation-results">
      <p className="muted">{t('consult.minimum', { n: r.minimumCount })}</p>
      <div className="table-scroll" tabIndex={0} role="region" aria-label={t('consult.byGroup')}>
        <table className="consult-table" data-testid="results-table">
          <caption>{t('consult.byGroup')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('consult.statement')}</th>
              {r.groups.map((g) => (
                <th scope="col" key={g.groupId}>
                  <bdi>{g.name}</bdi>
                  <br />
                  <span className="muted">{t('consult.voters', { n: g.voters })}</span>
                </th>
              ))}
              <th scope="col">{t('consult.all')}</th>
            </tr>
          </thead>
          <tbody>
            {r.statements.map((s) => (
              <tr key={s.statementId} data-statement-id={s.statementId}>
                <th scope="row">
                  {s.number}. <bdi>{s.text}</bdi>
                  {s.consensus && <span className="tag consensus">{t('consult.consensus')}</span>}
                  {s.divisive && <span className="tag divisive">{t('consult.divisive')}</span>}
                </th>
                {r.groups.map((g) => {
                  const tally = s.groups.find((x) => x.groupId === g.groupId);
                  return tally ? <TallyCell key={g.groupId} g={tally} t={t} /> : <td key={g.groupId}>—</td>;
                })}
                <td data-n={s.total.n}>
                  {t('consult.tally', { agree: s.total.agree, disagree: s.total.disagree, pass: s.total.pass, n: s.total.n })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {r.statements.length === 0 && <p className="muted">{t('consult.noneYet')}</p>}
      <h5>{t('consult.consensusTitle')}</h5>
      {statementList(consensus, 'consensus-list')}
      <h5>{t('consult.divisiveTitle')}</h5>
      {statementList(divisive, 'divisive-list')}
      <h5>{t('consult.clusters')}</h5>
      {r.clustering === null ? (
        <p className="muted">{t('consult.clusters.none')}</p>
      ) : (
        <>
          <p className="muted">
            {t('consult.clusters.about', { respondents: r.clustering.respondents, k: r.clustering.k, min: r.clustering.minimumVotes })}
          </p>
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t('consult.clusters')}>
            <table className="consult-table" data-testid="clusters-table">
              <thead>
                <tr>
                  <th scope="col">{t('consult.cluster')}</th>
                  <th scope="col">{t('consult.size')}</th>
                  <th scope="col">{t('consult.makeUp')}</th>
                  <th scope="col">{t('consult.distinctive')}</th>
                </tr>
              </thead>
              <tbody>
                {r.clustering.clusters.map((cl) => (
                  <tr key={cl.number}>
                    <th scope="row">{cl.number}</th>
                    <td>{cl.size}</td>
                    <td>
                      {cl.groups.map((g) => (
                        <span key={g.groupId} className="makeup">
                          <bdi>{groupName(g.groupId)}</bdi>: {g.n}
                        </span>
                      ))}
                    </td>
                    <td>
                      <ul>
                        {cl.distinctive.map((d) => (
                          <li key={d.statementId}>
                            <bdi>{text(d.statementId)}</bdi> (
                            {t('consult.difference', { points: Math.round(d.agreeShareDifference * 100) })})
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}

function TableSummaryForm({ sessionId, c }: { sessionId: string; c: ConsultationView }) {
  const { t } = useI18n();
  const [approved, setApproved] = useState<ModerationItem[] | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [title, setTitle] = useState('');
  const [note, setNote] = useState('');
  const [tabled, setTabled] = useState<string | null>(null);
  const load = useAction();
  const loadRun = load.run;
  const { run, busy, error } = useAction();

  useEffect(() => {
    void loadRun(() => consultationApi.statements(sessionId, c.id, 'approved')).then((a) => a && setApproved(a));
  }, [loadRun, sessionId, c.id, c.counts.approved]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const s = await run(() =>
      consultationApi.tableSummary(sessionId, c.id, {
        title: title.trim(),
        statementIds: chosen,
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    );
    if (!s) return;
    setTabled(s.sha256);
    setTitle('');
    setNote('');
    setChosen([]);
  };

  return (
    <section className="card" aria-labelledby={`summary-${c.id}`}>
      <h4 id={`summary-${c.id}`}>{t('consult.summary')}</h4>
      <p className="muted">{t('consult.summaryIntro')}</p>
      <form onSubmit={submit} className="stack">
        <fieldset>
          <legend>{t('consult.summaryStatements')}</legend>
          {approved?.length === 0 && <p className="muted">{t('consult.noneYet')}</p>}
          {(approved ?? []).map((a) => (
            <label key={a.id} className="inline">
              <input
                type="checkbox"
                checked={chosen.includes(a.id)}
                onChange={(e) => setChosen((l) => (e.target.checked ? [...l, a.id] : l.filter((x) => x !== a.id)))}
              />{' '}
              {a.number}. <bdi>{a.text}</bdi>
            </label>
          ))}
        </fieldset>
        <label>
          {t('consult.summaryTitle')}
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} required />
        </label>
        <label>
          {t('consult.summaryNote')}
          <textarea value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} rows={3} />
        </label>
        <ErrorNote error={load.error ?? error} />
        <button type="submit" disabled={busy || chosen.length === 0 || !title.trim()}>
          {t('consult.table')}
        </button>
        {tabled && (
          <p role="status" data-testid="summary-tabled">
            {t('consult.tabled')} <code className="hash">{tabled}</code>
          </p>
        )}
      </form>
    </section>
  );
}
