import { useEffect } from 'react';
import { FinalText } from '../components/agreement-panel';
import { ErrorNote } from '../components/shell';
import { useI18n } from '../i18n/i18n';
import { api } from '../lib/api';
import { navigate } from '../lib/router';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import type { SessionState } from '../state/session-state';

/**
 * A closed session: the talks are over, so the page offers only what still works — the final
 * text's hash, sign-offs and downloads (when the text was finalised) and the way back to one's
 * sessions. The text is read over HTTP: a closed session's socket may no longer join. The console
 * shows the final text in its text panel (`withText` false), not twice.
 */
export function ClosedView({ ctl, state, withText = true }: { ctl: SessionController; state: SessionState; withText?: boolean }) {
  const { t } = useI18n();
  const read = useAction();
  const readRun = read.run;
  useEffect(() => {
    void readRun(async () => ctl.dispatch({ type: 'agreement', view: await api.agreement(ctl.sessionId) }));
  }, [ctl, readRun]);
  const a = state.agreement;
  return (
    <section className="card closed-page" aria-labelledby="closed-title" data-testid="closed-page">
      <h2 id="closed-title">{t('closed.title')}</h2>
      <p>{ctl.isMediator ? t('closed.console') : t('closed.body')}</p>
      <ErrorNote error={read.error} />
      {withText &&
        a &&
        (a.status === 'drafting' || !a.finalSha256 ? (
          <p className="muted">{t('closed.noFinal')}</p>
        ) : (
          <FinalText ctl={ctl} state={state} a={a} />
        ))}
      <p>
        <a
          href="/"
          onClick={(e) => {
            e.preventDefault();
            navigate('/');
          }}
        >
          {t('closed.back')}
        </a>
      </p>
    </section>
  );
}
