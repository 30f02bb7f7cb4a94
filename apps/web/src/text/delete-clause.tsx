import type { ClauseView } from '@parley/contracts';
import { useI18n } from '../i18n/i18n';
import { api } from '../lib/api';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import { ErrorNote } from '../components/shell';

/** The mediator deletes a clause. */
export function DeleteClause({ c, ctl }: { c: ClauseView; ctl: SessionController }) {
  const { t } = useI18n();
  const { run, busy, error } = useAction();
  return (
    <>
      <button
        type="button"
        className="quiet"
        disabled={busy}
        onClick={() =>
          run(async () =>
            ctl.dispatch({
              type: 'agreement',
              view: await api.editText(ctl.sessionId, { kind: 'delete', clauseId: c.id, baseVersion: c.version }),
            }),
          )
        }
      >
        {t('text.delete')}
      </button>
      <ErrorNote error={error} />
    </>
  );
}
