import { useId, type MouseEvent } from 'react';
import type { AgreementView } from '@parley/contracts';
import { useI18n, type Translate } from '../i18n/i18n';
import { api } from '../lib/api';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import type { SessionState } from '../state/session-state';
import { ErrorNote } from '../components/shell';
import { finaliseBlockers, mayFinalise, type ClauseBlocker } from './finalise-blockers';
import './finalise.css';

/**
 * The mediator's Finalise, which says what still stands in its way: a checklist of the clauses not
 * agreed, each linked to its clause, with its open brackets or the parties still to agree it; the
 * button stays disabled, described by that list, until it is empty. `state` gives the parties' names
 * (the controller's state when it is not passed).
 */
export function Finalise({ ctl, a, state }: { ctl: SessionController; a: AgreementView; state?: SessionState }) {
  const { t, locale } = useI18n();
  const { run, busy, error } = useAction();
  const titleId = useId();
  const listId = useId();
  const blockers = finaliseBlockers(a.clauses, (state ?? ctl.state).session.parties);
  const ready = mayFinalise(blockers);
  const plural = new Intl.PluralRules(locale);
  return (
    <section className="finalise" aria-labelledby={titleId}>
      <h4 id={titleId}>{t('finalise.title')}</h4>
      {ready ? (
        <p id={listId} className="finalise-ready" role="status">
          {t('finalise.allAgreed')}
        </p>
      ) : blockers.empty ? (
        <p id={listId}>{t('finalise.noClauses')}</p>
      ) : (
        <ul id={listId} className="finalise-checklist">
          {blockers.clauses.map((b) => (
            <li key={b.clauseId}>
              <a href={`#clause-${b.clauseId}`} onClick={(e) => goToClause(e, b.clauseId)}>
                {t('text.clauseAria', { n: b.number })}
              </a>{' '}
              <span dir="auto">{reason(t, plural, b)}</span>
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <button
          type="button"
          disabled={busy || !ready}
          aria-describedby={ready ? undefined : listId}
          onClick={() => run(async () => ctl.dispatch({ type: 'agreement', view: await api.finalise(ctl.sessionId) }))}
        >
          {t('finalise.finalise')}
        </button>
      </div>
      <ErrorNote error={error} />
    </section>
  );
}

/** Why a clause blocks: its open brackets, or who has not agreed it (or only ad referendum). */
function reason(t: Translate, plural: Intl.PluralRules, b: ClauseBlocker): string {
  if (b.openBrackets > 0) return t(`finalise.brackets.${plural.select(b.openBrackets)}`, { n: b.openBrackets });
  if (!b.parties.length) return t('finalise.noParties');
  const each = b.parties.map((p) => t(p.mark === 'none' ? 'finalise.notAgreed' : 'finalise.adReferendum', { party: p.name }));
  return each.join(t('finalise.reasonSeparator'));
}

/**
 * Follows a checklist link into the clause: scrolled to and focused (the list item takes focus
 * without entering the tab order), so that a keyboard or screen-reader user carries on from there.
 * Should the clause be gone by then, the link is left to the browser.
 */
function goToClause(e: MouseEvent<HTMLAnchorElement>, clauseId: string): void {
  const target = document.getElementById(`clause-${clauseId}`);
  if (!target) return;
  e.preventDefault();
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.scrollIntoView({ block: 'start' });
  target.focus({ preventScroll: true });
}
