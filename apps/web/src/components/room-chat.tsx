import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { RoomEvent } from '@parley/contracts';
import { useI18n } from '../i18n/i18n';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import type { SessionState } from '../state/session-state';
import { ErrorNote } from './shell';
import { roomAudience } from '@parley/sessions/domain/audience.policy';
import { Audience, useAudienceId, useRoster, viewerOf } from '../audience/audience';

const newId = () => crypto.randomUUID();

/**
 * A room's stream: chat, and what the mediator conveyed to this delegation. The composer keeps the
 * idempotency key of a message until the server has it, so a retry after a drop is stored once.
 */
export function RoomChat({
  ctl,
  state,
  roomId,
  roomName,
  readOnly,
}: {
  ctl: SessionController;
  state: SessionState;
  roomId: string;
  roomName: string;
  readOnly: boolean;
}) {
  const { t } = useI18n();
  const title = t('chat.title', { room: roomName });
  const [text, setText] = useState('');
  const pendingId = useRef(newId());
  const { run, busy, error } = useAction();
  const events = state.streams[roomId];
  const listRef = useRef<HTMLOListElement>(null);
  const load = useAction();
  const loadRun = load.run;
  const roster = useRoster(state);
  const audienceId = useAudienceId();
  const room = state.session.rooms.find((r) => r.id === roomId) ?? state.overview?.rooms.find((r) => r.room.id === roomId)?.room;

  // Opening a room reads it (or what it gained since it was last open); once per room: a failed
  // reading is offered again by the button below, not retried in a loop.
  useEffect(() => {
    void loadRun(() => ctl.loadRoom(roomId));
  }, [ctl, roomId, loadRun]);

  // Screen readers hear what arrives, not the history read when the room opens.
  const [announce, setAnnounce] = useState('');
  const seen = useRef<number | null>(null);
  useEffect(() => {
    if (!events) return;
    const newest = events.at(-1);
    if (seen.current !== null && newest && newest.seq > seen.current) {
      const latest = [...events].reverse().find((e) => e.seq > seen.current! && e.type !== 'shuttle.message');
      if (latest?.type === 'chat.message') setAnnounce(`${latest.payload.authorName}: ${latest.payload.text}`);
      if (latest?.type === 'shuttle.conveyed') setAnnounce(latest.payload.text);
    }
    seen.current = newest?.seq ?? 0;
  }, [events]);
  useEffect(() => {
    listRef.current?.lastElementChild?.scrollIntoView?.({ block: 'nearest' });
  }, [events?.length]);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const body = text.trim();
    if (!body) return;
    const posted = await run(() => ctl.ask('chat.post', { roomId, text: body, clientMessageId: pendingId.current }));
    if (posted) {
      ctl.dispatch({ type: 'room.event', e: posted });
      pendingId.current = newId();
      setText('');
    }
  };

  return (
    <section className="card chat" aria-label={title}>
      <h3>{title}</h3>
      <p className="sr-only" aria-live="polite">
        {announce}
      </p>
      {load.error && (
        <div className="row">
          <ErrorNote error={load.error} />
          <button type="button" className="quiet" onClick={() => void load.run(() => ctl.loadRoom(roomId))}>
            {t('chat.retry')}
          </button>
        </div>
      )}
      <ol className="stream" ref={listRef}>
        {(events ?? [])
          .filter((e) => e.type !== 'shuttle.message')
          .map((e) => (
            <StreamItem key={e.seq} e={e} />
          ))}
        {events && !events.some((e) => e.type !== 'shuttle.message') && <li className="muted">{t('chat.empty')}</li>}
      </ol>
      {!readOnly && (
        <form onSubmit={send} className="composer">
          <label className="grow">
            <span className="sr-only">{t('chat.label', { room: roomName })}</span>
            <input
              dir="auto"
              value={text}
              onChange={(e) => setText(e.target.value)}
              maxLength={4000}
              placeholder={t('chat.placeholder')}
              aria-describedby={room ? audienceId : undefined}
            />
          </label>
          <button type="submit" disabled={busy || !text.trim()} aria-describedby={room ? audienceId : undefined}>
            {t('chat.send')}
          </button>
        </form>
      )}
      {!readOnly && room && (
        <Audience id={audienceId} state={state} line={roomAudience(viewerOf(state), { ...room, closed: false }, roster)} />
      )}
      <ErrorNote error={error} />
    </section>
  );
}

function StreamItem({ e }: { e: RoomEvent }) {
  const { t, time } = useI18n();
  if (e.type === 'chat.message') {
    return (
      <li className="msg">
        <span className="who">{e.payload.authorName}</span> <time dateTime={e.createdAt}>{time(e.createdAt)}</time>
        <p dir="auto">{e.payload.text}</p>
      </li>
    );
  }
  if (e.type === 'shuttle.conveyed') {
    const from =
      e.payload.attribution.kind === 'mediator'
        ? t('shuttle.fromMediator')
        : t('shuttle.fromParty', { party: e.payload.attribution.partyName });
    return (
      <li className="msg conveyed" data-testid="conveyed">
        <span className="who">{from}</span> <time dateTime={e.createdAt}>{time(e.createdAt)}</time>
        <p dir="auto">{e.payload.text}</p>
      </li>
    );
  }
  return null;
}
