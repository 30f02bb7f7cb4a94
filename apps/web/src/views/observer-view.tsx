import { AgreementPanel } from '../components/agreement-panel';
import { MediaPanel } from '../lazy/lazy-panels';
import { RoomFloorBar } from '../floor/floor-panel';
import { nameOfRoom } from '../components/presence-board';
import { RoomChat } from '../components/room-chat';
import { useI18n } from '../i18n/i18n';
import type { MediaEngine } from '../media/media-engine';
import type { SessionController } from '../state/session-controller';
import { roomById, type SessionState } from '../state/session-state';

/** An observer watches the plenary and reads the tabled text: nothing here writes. */
export function ObserverView({ ctl, state, media }: { ctl: SessionController; state: SessionState; media: MediaEngine | null }) {
  const { t } = useI18n();
  const room = roomById(state, state.me.roomId);
  return (
    <div className="columns two">
      <div className="col">
        <p className="whoami">
          {t('role.observer')} · {t('observer.readOnly')}
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
        {room && <RoomChat key={room.id} ctl={ctl} state={state} roomId={room.id} roomName={nameOfRoom(t, state, room)} readOnly />}
      </div>
      <div className="col wide">
        <AgreementPanel ctl={ctl} state={state} />
      </div>
    </div>
  );
}
