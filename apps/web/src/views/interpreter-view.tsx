import { AgreementPanel } from '../components/agreement-panel';
import { RoomColumn } from './room-column';
import { partyName } from '../components/presence-board';
import { useI18n } from '../i18n/i18n';
import { languageName } from '../media/interpretation.messages';
import type { MediaEngine } from '../media/media-engine';
import type { SessionController } from '../state/session-controller';
import type { SessionState } from '../state/session-state';

/**
 * An interpreter's view: the room they are assigned to, its sound (the media panel carries their
 * booth: the channel they interpret into, live or standby) and its chat, and the negotiating text
 * to read. No shuttle and no draft: an interpreter carries words, never a position.
 */
export function InterpreterView({ ctl, state, media }: { ctl: SessionController; state: SessionState; media: MediaEngine | null }) {
  const { t, locale } = useI18n();
  const party = partyName(state, state.me.partyId);
  const pair = state.me.languages?.map((l) => languageName(locale, l)).join(' ↔ ');
  return (
    <div className="columns two">
      <div className="col">
        <p className="whoami" data-testid="interpreter-whoami">
          {t('role.interpreter')}
          {pair ? ` · ${pair}` : ''}
          {party ? ` · ${party}` : ''}
        </p>
        <RoomColumn ctl={ctl} state={state} media={media} readOnly={false} />
      </div>
      <div className="col wide">
        <AgreementPanel ctl={ctl} state={state} />
      </div>
    </div>
  );
}
