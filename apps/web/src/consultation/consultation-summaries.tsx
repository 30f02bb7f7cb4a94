/* eslint-disable jsx-a11y/no-noninteractive-tabindex -- a table wider than a phone scrolls in a region that takes the focus, so that keys scroll it (axe: scrollable-region-focusable) */
import type { ConsultationSummaryView, SummaryStatement } from '@parley/contracts';
import { useI18n } from '../i18n/i18n';
import type { SessionState } from '../state/session-state';

/** The summaries tabled in the session, oldest first. */
export const tabledSummaries = (state: SessionState): ConsultationSummaryView[] =>
  Object.values(state.consultationSummaries).sort((a, b) => a.tabledAt.localeCompare(b.tabledAt));

/**
 * What the parties and observers see of a consultation: only the summaries the mediators tabled —
 * each statement with its figures per group (counts always shown; a figure on fewer votes than the
 * minimum greyed and saying so), and the summary's hash, as in the audit trail.
 */
export function ConsultationSummaries({ state }: { state: SessionState }) {
  const { t } = useI18n();
  const summaries = tabledSummaries(state);
  return (
    <section className="card consultation-summaries" aria-labelledby="summaries-title" data-testid="consultation-summaries">
      <h2 id="summaries-title">{t('consult.summaries')}</h2>
      {summaries.length === 0 && <p className="muted">{t('consult.summaries.none')}</p>}
      {summaries.map((s) => (
        <Summary key={s.id} s={s} />
      ))}
    </section>
  );
}

function Summary({ s }: { s: ConsultationSummaryView }) {
  const { t, time } = useI18n();
  const groups = s.statements[0]?.groups.map((g) => g.name) ?? [];
  const cell = (g: SummaryStatement['groups'][number] | SummaryStatement['total'], few = false) => (
    <>
      {t('consult.tally', { agree: g.agree, disagree: g.disagree, pass: g.pass, n: g.n })}
      {few && (
        <>
          <br />
          <span className="few-note">{t('consult.few')}</span>
        </>
      )}
    </>
  );
  return (
    <article className="consultation-summary" data-summary-id={s.id} aria-labelledby={`summary-title-${s.id}`}>
      <h3 id={`summary-title-${s.id}`}>
        <bdi>{s.title}</bdi>
      </h3>
      <p className="muted">
        {t('consult.summaryOf', { title: s.consultationTitle })} ·{' '}
        {t('consult.tabledAt', { time: `${new Date(s.tabledAt).toLocaleDateString()} ${time(s.tabledAt)}` })}
      </p>
      {s.note && (
        <p className="summary-note">
          <bdi>{s.note}</bdi>
        </p>
      )}
      <div className="table-scroll" tabIndex={0} role="region" aria-label={s.title}>
        <table className="summary-table">
          <thead>
            <tr>
              <th scope="col">{t('consult.statement')}</th>
              {groups.map((g) => (
                <th scope="col" key={g}>
                  <bdi>{g}</bdi>
                </th>
              ))}
              <th scope="col">{t('consult.all')}</th>
            </tr>
          </thead>
          <tbody>
            {s.statements.map((st, i) => (
              <tr key={i}>
                <th scope="row">
                  <bdi>{st.text}</bdi>
                </th>
                {st.groups.map((g) => (
                  <td key={g.name} className={g.few ? 'few' : undefined} data-n={g.n}>
                    {cell(g, g.few)}
                  </td>
                ))}
                <td data-n={st.total.n}>{cell(st.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted">
        {t('consult.sha256')} <code className="hash">{s.sha256}</code>
      </p>
    </article>
  );
}
