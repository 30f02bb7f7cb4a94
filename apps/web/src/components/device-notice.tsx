import { useI18n } from '../i18n/i18n';
import type { SessionController } from '../state/session-controller';
import type { SessionState } from '../state/session-state';

/**
 * One live page per participant (the server's model: the media seat is the participant's): the
 * page another device took the session from says so and offers to take it back; the page that
 * took it over says so for a moment.
 */
export function DeviceNotice({ ctl, state }: { ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  if (state.device === 'elsewhere') {
    return (
      <div className="notice row" role="alert" data-testid="device-elsewhere">
        <p>{t('device.elsewhere')}</p>
        <button type="button" onClick={() => ctl.useHere()}>
          {t('device.useHere')}
        </button>
      </div>
    );
  }
  if (state.device === 'taken_over')
    return (
      <p className="notice" role="status" data-testid="device-here">
        {t('device.takenOver')}
      </p>
    );
  return null;
}
