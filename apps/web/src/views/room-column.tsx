import { RoomFloorBar } from '../floor/floor-panel';
import { nameOfRoom } from '../components/presence-board';
import { RoomChat } from '../components/room-chat';
import { useI18n } from '../i18n/i18n';
import { MediaPanel } from '../lazy/lazy-panels';
import type { MediaEngine } from '../media/media-engine';
import type { SessionController } from '../state/session-controller';
import { roomById, type SessionState } from '../state/session-state';

/**
 * What every participant's view shows of where they are: the room (or the lobby's wait, with the
 * break's words during a break), its floor, its media and its chat (`readOnly` for observers).
 */
export function RoomColumn({
  ctl,
  state,
  media,
  readOnly,
}: {
  ctl: SessionController;
  state: SessionState;
  media: MediaEngine | null;
  readOnly: boolean;
}) {
  const { t } = useI18n();
  const room = roomById(state, state.me.roomId);
  return (
    <>
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
      {room && (
        <RoomChat key={room.id} ctl={ctl} state={state} roomId={room.id} roomName={nameOfRoom(t, state, room)} readOnly={readOnly} />
      )}
    </>
  );
}
