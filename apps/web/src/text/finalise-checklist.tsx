import type { AgreementView } from '@parley/contracts';
import { useI18n } from '../i18n/i18n';
import { api } from '../lib/api';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import { ErrorNote } from '../components/shell';

/** The mediator's Finalise: the button, and what still stands in its way. */
export function Finalise({ ctl, a }: { ctl: SessionController; a: AgreementView }) {
  const { t } = useI18n();
  const { run, busy, error } = useAction();
  const allAgreed = a.clauses.length > 0 && a.clauses.every((c) => c.state === 'agreed');
  return (
    <div className="finalise">
      <button
        type="button"
        disabled={busy || !allAgreed}
        onClick={() => run(async () => ctl.dispatch({ type: 'agreement', view: await api.finalise(ctl.sessionId) }))}
      >
        {t('text.finalise')}
      </button>
      <ErrorNote error={error} />
    </div>
  );
}
