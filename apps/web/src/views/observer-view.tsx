import { AgreementPanel } from '../components/agreement-panel';
import { RoomColumn } from './room-column';
import { useI18n } from '../i18n/i18n';
import type { MediaEngine } from '../media/media-engine';
import type { SessionController } from '../state/session-controller';
import type { SessionState } from '../state/session-state';
import { ConsultationSummaries, tabledSummaries } from '../consultation/consultation-summaries';

/** An observer watches the plenary and reads the tabled text (and tabled consultation summaries): nothing here writes. */
export function ObserverView({ ctl, state, media }: { ctl: SessionController; state: SessionState; media: MediaEngine | null }) {
  const { t } = useI18n();
  return (
    <div className="columns two">
      <div className="col">
        <p className="whoami">
          {t('role.observer')} · {t('observer.readOnly')}
        </p>
        <RoomColumn ctl={ctl} state={state} media={media} readOnly={true} />
      </div>
      <div className="col wide">
        <AgreementPanel ctl={ctl} state={state} />
        {tabledSummaries(state).length > 0 && <ConsultationSummaries state={state} />}
      </div>
    </div>
  );
}
