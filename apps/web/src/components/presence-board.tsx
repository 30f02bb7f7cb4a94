import { useState, type FormEvent } from 'react';
import { mayEnter } from '@parley/sessions/domain/membership.policy';
import { isMediator } from '@parley/sessions/domain/model';
import type { ParticipantView } from '@parley/contracts';
import { api } from '../lib/api';
import type { OccupantView, RoomView } from '@parley/contracts';
import { useI18n, type Translate } from '../i18n/i18n';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import type { SessionState } from '../state/session-state';
import { roleLabel, roomLabel } from '../views/labels';
import { ErrorNote } from './shell';
import { Select } from './select';

export function partyName(state: SessionState, partyId: string | null): string | null {
  return partyId ? (state.session.parties.find((p) => p.id === partyId)?.name ?? null) : null;
}

export function nameOfRoom(t: Translate, state: SessionState, room: RoomView): string {
  return roomLabel(t, room, partyName(state, room.partyId));
}

/**
 * The mediator's board: every room with who is in it (live), the lobby with admit, and per person
 * a move or a send-back. "Go here" moves the mediator themself in one click.
 */
export function PresenceBoard({ ctl, state }: { ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  const { run, busy, error } = useAction();
  const overview = state.overview;
  if (!overview)
    return (
      <section className="card">
        <h2>{t('board.title')}</h2>
        <p className="muted">{t('app.loading')}</p>
      </section>
    );
  const rooms = overview.rooms.map((r) => r.room);
  // The mediator's own place shows on the rooms ("you are here"); the lobby lists those waiting.
  const waiting = overview.lobby.filter((o) => o.participantId !== state.me.id);
  const place = (event: 'participant.admit' | 'participant.move', participantId: string, roomId: string) =>
    run(() => ctl.ask(event, { participantId, roomId }));
  // Outside an open session only mediators are seated (the server answers SESSION_NOT_OPEN): during a
  // break the board offers no admission or move that would be refused.
  const seatable = (o: OccupantView) => state.status === 'open' || isMediator(o);

  return (
    <section className="card board" aria-labelledby="board-title">
      <h2 id="board-title">{t('board.title')}</h2>
      <ErrorNote error={error} />
      <section className="lobby" aria-labelledby="lobby-title">
        <h3 id="lobby-title">
          {t('board.lobby')} <span className="count">{waiting.length}</span>
        </h3>
        {waiting.length === 0 && <p className="muted">{t('board.lobbyEmpty')}</p>}
        <ul className="people">
          {waiting.map((o) => (
            <li key={o.participantId}>
              <Person o={o} state={state} />
              {seatable(o) && (
                <PlaceControl
                  t={t}
                  o={o}
                  rooms={rooms}
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
        {overview.rooms.map(({ room, occupants }) => {
          const here = state.me.roomId === room.id;
          return (
            <li key={room.id} className={here ? 'room here' : 'room'} aria-label={nameOfRoom(t, state, room)}>
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
              <ul className="people">
                {occupants
                  .filter((o) => o.participantId !== state.me.id)
                  .map((o) => (
                    <li key={o.participantId}>
                      <Person o={o} state={state} />
                      {seatable(o) && (
                        <PlaceControl
                          t={t}
                          o={o}
                          rooms={rooms.filter((r) => r.id !== room.id)}
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

function Person({ o, state }: { o: OccupantView; state: SessionState }) {
  const { t } = useI18n();
  const party = partyName(state, o.partyId);
  return (
    <span className="person">
      <span className={o.connected ? 'dot on' : 'dot'} aria-label={o.connected ? t('board.online') : t('board.offline')} role="img" />
      <span className="name">{o.displayName}</span>
      <span className="muted">
        {' '}
        · {roleLabel(t, o.role)}
        {party ? ` · ${party}` : ''}
      </span>
    </span>
  );
}

/** Where a participant may go: the server's own membership rule, so the choice offered is the one it accepts. */
function PlaceControl({
  t,
  o,
  rooms,
  state,
  verb,
  busy,
  onPlace,
}: {
  t: Translate;
  o: OccupantView;
  rooms: RoomView[];
  state: SessionState;
  verb: string;
  busy: boolean;
  onPlace: (roomId: string) => void;
}) {
  const who = { id: o.participantId, role: o.role, partyId: o.partyId, isHead: false };
  const allowed = rooms.filter((r) => mayEnter(who, { ...r, closed: false }));
  const [roomId, setRoomId] = useState(allowed[0]?.id ?? '');
  if (!allowed.length) return null;
  const chosen = allowed.some((r) => r.id === roomId) ? roomId : allowed[0].id;
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
