import { useState, type FormEvent } from 'react';
import { mayEnter } from '@parley/sessions/domain/membership.policy';
import { isMediator } from '@parley/sessions/domain/model';
import { defaultMoveTarget } from '@parley/sessions/domain/bulk-placement.policy';
import { orderRooms } from '@parley/sessions/domain/room-order.policy';
import type { ParticipantView, PresenceOverview } from '@parley/contracts';
import { api } from '../lib/api';
import type { OccupantView, RoomView } from '@parley/contracts';
import { GatherControls, SelectionBar } from '../console/bulk-moves';
import { PersonBadges } from '../console/person-badges';
import { usePeople } from '../console/use-people';
import { BoardFloor } from '../floor/floor-panel';
import { useI18n, type Translate } from '../i18n/i18n';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import type { SessionState } from '../state/session-state';
import { roomLabel } from '../views/labels';
import { ErrorNote } from './shell';
import { Select } from './select';

export function partyName(state: SessionState, partyId: string | null): string | null {
  return partyId ? (state.session.parties.find((p) => p.id === partyId)?.name ?? null) : null;
}

export function nameOfRoom(t: Translate, state: SessionState, room: RoomView): string {
  return roomLabel(t, room, partyName(state, room.partyId));
}

/**
 * The overview's rooms in the order every page shows them (plenary, mediators' room, caucuses in
 * party order, joint rooms by opening): the server's own rule, applied again here because the
 * overview pushed on every change comes in the database's order.
 */
export function orderedOverview(state: SessionState): PresenceOverview['rooms'] {
  const rooms = state.overview?.rooms ?? [];
  return orderRooms(
    rooms.map((r) => ({ ...r, kind: r.room.kind, partyId: r.room.partyId })),
    state.session.parties.map((p) => p.id),
  ).map(({ room, occupants }) => ({ room, occupants }));
}

/** The rooms the console lists (chat picker, Move lists), in that order. */
export function orderedRooms(state: SessionState): RoomView[] {
  return state.overview
    ? orderedOverview(state).map((r) => r.room)
    : orderRooms(
        state.session.rooms,
        state.session.parties.map((p) => p.id),
      );
}

/**
 * The mediator's board: every room with who is in it (live), the lobby with admit, and per person
 * a move or a send-back. "Go here" moves the mediator themself in one click.
 */
export function PresenceBoard({ ctl, state }: { ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  const { run, busy, error } = useAction();
  const overview = state.overview;
  const people = usePeople(ctl.sessionId, overview);
  // Where each person was last, kept per session across reloads (session-state, lastRooms).
  const lastRooms = state.lastRooms;
  const [selected, setSelected] = useState<string[]>([]);
  if (!overview)
    return (
      <section className="card">
        <h2>{t('board.title')}</h2>
        <p className="muted">{t('app.loading')}</p>
      </section>
    );
  const ordered = orderedOverview(state);
  const rooms = ordered.map((r) => r.room);
  // The mediator's own place shows on the rooms ("you are here"); the lobby lists those waiting.
  const waiting = overview.lobby.filter((o) => o.participantId !== state.me.id);
  const place = (event: 'participant.admit' | 'participant.move', participantId: string, roomId: string) =>
    run(() => ctl.ask(event, { participantId, roomId }));
  // Outside an open session only mediators are seated (the server answers SESSION_NOT_OPEN): during a
  // break the board offers no admission or move that would be refused.
  const seatable = (o: OccupantView) => state.status === 'open' || isMediator(o);
  const isHead = (o: OccupantView) => people.get(o.participantId)?.isHead ?? false;
  const present = new Set([...overview.lobby, ...ordered.flatMap((r) => r.occupants)].map((o) => o.participantId));
  const chosen = selected.filter((id) => present.has(id));
  const toggle = (id: string, on: boolean) => setSelected((s) => (on ? [...s.filter((x) => x !== id), id] : s.filter((x) => x !== id)));
  const pick = (o: OccupantView) =>
    seatable(o) && (
      <SelectPerson name={o.displayName} checked={chosen.includes(o.participantId)} onChange={(on) => toggle(o.participantId, on)} />
    );

  return (
    <section className="card board" aria-labelledby="board-title">
      <h2 id="board-title">{t('board.title')}</h2>
      <ErrorNote error={error} />
      <GatherControls sessionId={ctl.sessionId} disabled={state.status === 'closed'} />
      <SelectionBar
        sessionId={ctl.sessionId}
        selected={chosen}
        rooms={rooms}
        roomName={(r) => nameOfRoom(t, state, r)}
        onDone={() => setSelected([])}
      />
      <section className="lobby" aria-labelledby="lobby-title">
        <h3 id="lobby-title">
          {t('board.lobby')} <span className="count">{waiting.length}</span>
        </h3>
        {waiting.length === 0 && <p className="muted">{t('board.lobbyEmpty')}</p>}
        <ul className="people">
          {waiting.map((o) => (
            <li key={o.participantId}>
              {pick(o)}
              <Person o={o} state={state} isHead={isHead(o)} />
              {seatable(o) && (
                <PlaceControl
                  t={t}
                  o={o}
                  isHead={isHead(o)}
                  rooms={rooms}
                  currentRoomId={null}
                  lastRoomId={lastRooms[o.participantId] ?? null}
                  state={state}
                  verb={t('board.admit')}
                  busy={busy}
                  onPlace={(roomId) => place('participant.admit', o.participantId, roomId)}
                />
              )}
            </li>
          ))}
        </ul>
      </section>
      <OpenJointRoom ctl={ctl} />
      <ul className="rooms">
        {ordered.map(({ room, occupants }) => {
          const here = state.me.roomId === room.id;
          return (
            <li key={room.id} className={here ? 'room here' : 'room'} aria-label={nameOfRoom(t, state, room)} data-room-kind={room.kind}>
              <div className="room-head">
                <h3>{nameOfRoom(t, state, room)}</h3>
                <span className="count" aria-label={t('board.occupants', { n: occupants.length })}>
                  {occupants.length}
                </span>
                {room.kind === 'joint' && (
                  <button
                    type="button"
                    className="quiet"
                    disabled={busy}
                    onClick={() => {
                      if (confirm(t('board.confirmCloseRoom'))) void run(() => api.closeRoom(ctl.sessionId, room.id));
                    }}
                  >
                    {t('board.closeRoom')}
                    <span className="sr-only"> — {room.name}</span>
                  </button>
                )}
                {here ? (
                  <span className="badge">{t('board.youAreHere')}</span>
                ) : (
                  <button type="button" disabled={busy} onClick={() => place('participant.move', state.me.id, room.id)}>
                    {t('board.goTo')}
                    <span className="sr-only"> — {nameOfRoom(t, state, room)}</span>
                  </button>
                )}
              </div>
              <BoardFloor ctl={ctl} state={state} roomId={room.id} roomName={nameOfRoom(t, state, room)} />
              <ul className="people">
                {occupants
                  .filter((o) => o.participantId !== state.me.id)
                  .map((o) => (
                    <li key={o.participantId}>
                      {pick(o)}
                      <Person o={o} state={state} isHead={isHead(o)} />
                      {seatable(o) && (
                        <PlaceControl
                          t={t}
                          o={o}
                          isHead={isHead(o)}
                          rooms={rooms}
                          currentRoomId={room.id}
                          lastRoomId={lastRooms[o.participantId] ?? null}
                          state={state}
                          verb={t('board.move')}
                          busy={busy}
                          onPlace={(roomId) => place('participant.move', o.participantId, roomId)}
                        />
                      )}
                      <button
                        type="button"
                        className="quiet"
                        disabled={busy}
                        onClick={() => run(() => ctl.ask('participant.send-to-lobby', { participantId: o.participantId }))}
                      >
                        {t('board.sendBack')}
                        <span className="sr-only"> — {o.displayName}</span>
                      </button>
                    </li>
                  ))}
              </ul>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function SelectPerson({ name, checked, onChange }: { name: string; checked: boolean; onChange: (on: boolean) => void }) {
  const { t } = useI18n();
  return (
    <input
      type="checkbox"
      className="select-person"
      aria-label={t('select.person', { name })}
      checked={checked}
      onChange={(e) => onChange(e.target.checked)}
    />
  );
}

function Person({ o, state, isHead }: { o: OccupantView; state: SessionState; isHead: boolean }) {
  const { t } = useI18n();
  return (
    <span className="person">
      <span className={o.connected ? 'dot on' : 'dot'} aria-label={o.connected ? t('board.online') : t('board.offline')} role="img" />
      <bdi className="name">{o.displayName}</bdi>
      <PersonBadges role={o.role} isHead={isHead} partyId={o.partyId} parties={state.session.parties} />
    </span>
  );
}

/**
 * Where a participant may go: the server's own membership rule, so the choice offered is the one it
 * accepts. The list starts on the room they were last in, else the plenary (defaultMoveTarget) —
 * never on a room they may not enter.
 */
function PlaceControl({
  t,
  o,
  isHead,
  rooms,
  currentRoomId,
  lastRoomId,
  state,
  verb,
  busy,
  onPlace,
}: {
  t: Translate;
  o: OccupantView;
  isHead: boolean;
  rooms: RoomView[];
  currentRoomId: string | null;
  lastRoomId: string | null;
  state: SessionState;
  verb: string;
  busy: boolean;
  onPlace: (roomId: string) => void;
}) {
  const who = { id: o.participantId, role: o.role, partyId: o.partyId, isHead };
  const allowed = rooms.filter((r) => r.id !== currentRoomId && mayEnter(who, { ...r, closed: false }));
  const [roomId, setRoomId] = useState<string | null>(null);
  if (!allowed.length) return null;
  const fallback = defaultMoveTarget(
    who,
    allowed.map((r) => ({ ...r, closed: false })),
    lastRoomId,
    currentRoomId,
  );
  const chosen = roomId && allowed.some((r) => r.id === roomId) ? roomId : (fallback?.id ?? allowed[0].id);
  return (
    <span className="place">
      <Select label={t('board.whereAria', { name: o.displayName })} hideLabel value={chosen} onChange={setRoomId}>
        {allowed.map((r) => (
          <option key={r.id} value={r.id}>
            {nameOfRoom(t, state, r)}
          </option>
        ))}
      </Select>
      <button type="button" disabled={busy} onClick={() => onPlace(chosen)}>
        {verb}
        <span className="sr-only"> — {o.displayName}</span>
      </button>
    </span>
  );
}

/** A joint room for named party members (heads of delegation, a working group); mediators may enter any. */
function OpenJointRoom({ ctl }: { ctl: SessionController }) {
  const { t } = useI18n();
  const [people, setPeople] = useState<ParticipantView[] | null>(null);
  const [name, setName] = useState('');
  const [members, setMembers] = useState<string[]>([]);
  const { run, busy, error } = useAction();
  const load = () => {
    if (!people) void run(() => api.participants(ctl.sessionId)).then((p) => p && setPeople(p.filter((x) => x.role === 'party_member')));
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const room = await run(() => api.openJointRoom(ctl.sessionId, { name: name.trim(), memberIds: members }));
    if (room) {
      setName('');
      setMembers([]);
    }
  };
  return (
    <details
      className="joint"
      onToggle={(e) => {
        if (e.currentTarget.open) load();
      }}
    >
      <summary>{t('board.openJoint')}</summary>
      <form onSubmit={submit} className="stack">
        <label>
          {t('board.jointName')}
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} />
        </label>
        <fieldset className="choice">
          <legend>{t('board.jointMembers')}</legend>
          {people?.map((p) => (
            <label key={p.id}>
              <input
                type="checkbox"
                checked={members.includes(p.id)}
                onChange={(e) => setMembers(e.target.checked ? [...members, p.id] : members.filter((m) => m !== p.id))}
              />{' '}
              {p.displayName}
            </label>
          ))}
        </fieldset>
        <ErrorNote error={error} />
        <button type="submit" disabled={busy || !name.trim()}>
          {t('board.openJointSubmit')}
        </button>
      </form>
    </details>
  );
}
