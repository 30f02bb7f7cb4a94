import { AgreementPanel } from '../components/agreement-panel';
import { DraftPanel, MediaPanel } from '../lazy/lazy-panels';
import { RoomFloorBar } from '../floor/floor-panel';
import { nameOfRoom, partyName } from '../components/presence-board';
import { RoomChat } from '../components/room-chat';
import { ShuttleOutbox } from '../components/shuttle';
import { Tabs } from '../components/tabs';
import { useI18n } from '../i18n/i18n';
import type { MediaEngine } from '../media/media-engine';
import type { SessionController } from '../state/session-controller';
import { roomById, type SessionState } from '../state/session-state';
import { roleLabel } from './labels';

/**
 * A delegation member's view: where they are (lobby, their caucus, the plenary), that room's video
 * and chat, and their work — writing to the mediator, the text, and the caucus draft.
 */
export function DelegationView({ ctl, state, media }: { ctl: SessionController; state: SessionState; media: MediaEngine | null }) {
  const { t } = useI18n();
  const room = roomById(state, state.me.roomId);
  const party = partyName(state, state.me.partyId);
  const inOwnCaucus = room?.kind === 'caucus' && room.partyId === state.me.partyId;
  const tabs = [
    { id: 'shuttle', label: t('delegation.toMediator'), content: <ShuttleOutbox ctl={ctl} state={state} /> },
    { id: 'text', label: t('console.text'), content: <AgreementPanel ctl={ctl} state={state} /> },
    ...(inOwnCaucus && state.me.partyId
      ? [
          {
            id: 'draft',
            label: t('delegation.draft'),
            content: <DraftPanel ctl={ctl} state={state} scope={{ kind: 'party', partyId: state.me.partyId }} />,
          },
        ]
      : []),
  ];
  return (
    <div className="columns two">
      <div className="col">
        <p className="whoami">
          {roleLabel(t, state.me.role, state.me.isHead)}
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
        <Tabs label={t('delegation.work')} tabs={tabs} />
      </div>
    </div>
  );
}
