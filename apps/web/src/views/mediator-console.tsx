import { useEffect, useState } from 'react';
import { AgreementPanel } from '../components/agreement-panel';
import { ConsultationPanel, DraftPanel, MediaPanel } from '../lazy/lazy-panels';
import { nameOfRoom, orderedRooms, PresenceBoard } from '../components/presence-board';
import { RoomChat } from '../components/room-chat';
import { ShuttleQueue } from '../components/shuttle';
import { Tabs } from '../components/tabs';
import { useI18n } from '../i18n/i18n';
import type { MediaEngine } from '../media/media-engine';
import type { SessionController } from '../state/session-controller';
import type { SessionState } from '../state/session-state';
import { Select } from '../components/select';
import { ClosedView } from './closed-view';
import { chatRoomFor } from '../audience/chat-room';
import { InvitationsPanel } from '../console/invitations-panel';
import { CONSOLE_SECTIONS } from '../console/console-nav';

/**
 * The mediator's console: every room and the lobby (left), the room's video and a chat into any
 * room (centre), and the work — review queue, negotiating text, the mediators' draft, the
 * consultation of the wider public (right).
 */
export function MediatorConsole({ ctl, state, media }: { ctl: SessionController; state: SessionState; media: MediaEngine | null }) {
  const { t } = useI18n();
  // One order everywhere: plenary, mediators' room, caucuses in party order, joint rooms by opening.
  const rooms = orderedRooms(state);
  // A choice holds while the mediator stays where they made it; else the room they are in, else the plenary.
  const [chatRoom, setChatRoom] = useState<{ roomId: string; whileIn: string | null } | null>(null);
  const roomId = chatRoomFor(state.me, rooms, chatRoom);
  const room = rooms.find((r) => r.id === roomId);
  const following = roomId !== null && roomId !== state.me.roomId;

  // Live chat reaches the sockets in a room; a room the mediator only watches is read every 3 s.
  useEffect(() => {
    if (!following || !roomId) return;
    const id = setInterval(() => void ctl.catchUp(roomId), 3000);
    return () => clearInterval(id);
  }, [ctl, roomId, following]);

  const pending = Object.values(state.shuttle).filter((m) => m.status === 'pending').length;
  if (state.status === 'closed') return <ClosedConsole ctl={ctl} state={state} />;
  return (
    <div className="console columns three">
      {/* The sections the phone's section nav jumps to (console-nav.tsx): on a phone one column in this order, the invitations last. */}
      <div className="col console-people" id={CONSOLE_SECTIONS.people} tabIndex={-1}>
        <PresenceBoard ctl={ctl} state={state} />
      </div>
      <div className="col console-room" id={CONSOLE_SECTIONS.room} tabIndex={-1}>
        <MediaPanel media={media} state={state} />
        <Select
          className="chat-room-picker"
          label={t('console.chatIn')}
          value={roomId ?? ''}
          onChange={(id) => setChatRoom({ roomId: id, whileIn: state.me.roomId })}
        >
          {rooms.map((r) => (
            <option key={r.id} value={r.id}>
              {nameOfRoom(t, state, r)}
              {r.id === state.me.roomId ? ` (${t('board.youAreHere')})` : ''}
            </option>
          ))}
        </Select>
        {room && <RoomChat key={room.id} ctl={ctl} state={state} roomId={room.id} roomName={nameOfRoom(t, state, room)} readOnly={false} />}
      </div>
      <div className="col wide console-work" id={CONSOLE_SECTIONS.work} tabIndex={-1}>
        <Tabs
          label={t('console.work')}
          tabs={[
            { id: 'queue', label: t('console.queue'), badge: pending, content: <ShuttleQueue ctl={ctl} state={state} /> },
            { id: 'text', label: t('console.text'), content: <AgreementPanel ctl={ctl} state={state} /> },
            { id: 'draft', label: t('console.draft'), content: <DraftPanel ctl={ctl} state={state} scope={{ kind: 'mediators' }} /> },
            { id: 'consultation', label: t('consult.tab'), content: <ConsultationPanel ctl={ctl} /> },
          ]}
        />
      </div>
      <div className="col console-invitations" id={CONSOLE_SECTIONS.invitations} tabIndex={-1}>
        <InvitationsPanel ctl={ctl} state={state} />
      </div>
    </div>
  );
}

/**
 * The console once the session is closed: the closed page with the final text's downloads and the
 * text to read. Admitting, moving, inviting, chat and video are over (everyone is in the lobby,
 * and the server would answer SESSION_CLOSED), so none of them is offered.
 */
function ClosedConsole({ ctl, state }: { ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  return (
    <div className="console columns two">
      <div className="col">
        <ClosedView ctl={ctl} state={state} withText={false} />
      </div>
      <div className="col wide">
        <section className="card" aria-label={t('console.text')}>
          <AgreementPanel ctl={ctl} state={state} />
        </section>
      </div>
    </div>
  );
}
