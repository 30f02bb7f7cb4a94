import { AgreementPanel } from '../components/agreement-panel';
import { MediaPanel } from '../lazy/lazy-panels';
import { RoomFloorBar } from '../floor/floor-panel';
import { nameOfRoom, partyName } from '../components/presence-board';
import { RoomChat } from '../components/room-chat';
import { useI18n } from '../i18n/i18n';
import { languageName } from '../media/interpretation.messages';
import type { MediaEngine } from '../media/media-engine';
import type { SessionController } from '../state/session-controller';
import { roomById, type SessionState } from '../state/session-state';

/**
 * An interpreter's view: the room they are assigned to, its sound (the media panel carries their
 * booth: the channel they interpret into, live or standby) and its chat, and the negotiating text
 * to read. No shuttle and no draft: an interpreter carries words, never a position.
 */
export function InterpreterView({ ctl, state, media }: { ctl: SessionController; state: SessionState; media: MediaEngine | null }) {
  const { t, locale } = useI18n();
  const room = roomById(state, state.me.roomId);
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
        {room ? (
          <h2 data-testid="current-room">{nameOfRoom(t, state, room)}</h2>
        ) : (
          <section className="card lobby-wait" role="status" data-testid="lobby-wait">
            <h2>{t('lobby.title')}</h2>
            <p>{state.status === 'suspended' ? t('break.lobby') : t('lobby.waiting')}</p>
          </section>
        )}
        {room && <RoomFloorBar ctl={ctl} state={state} roomId={room.id} />}
        <MediaPanel media={media} state={state} />
        {room && <RoomChat key={room.id} ctl={ctl} state={state} roomId={room.id} roomName={nameOfRoom(t, state, room)} readOnly={false} />}
      </div>
      <div className="col wide">
        <AgreementPanel ctl={ctl} state={state} />
      </div>
    </div>
  );
}
