import { useEffect, useState, type FormEvent } from 'react';
import { TIMER_PURPOSES, type RoomFloor, type RoomTimer, type TimerPurpose } from '@parley/contracts';
import { ErrorNote } from '../components/shell';
import { useI18n, type Locale } from '../i18n/i18n';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import { secondsLeft, type SessionState } from '../state/session-state';
import { clockStep, durationOf, formatClock } from './clock';
import { floorText, type FloorMessageKey } from './floor.messages';
import './floor.css';

const useFloorText = () => {
  const { locale } = useI18n();
  return (key: FloorMessageKey, vars?: Record<string, string | number>) => floorText(locale, key, vars);
};

/** A participant's name as this page knows it (the mediators' overview, or the room's presence). */
export function nameOf(state: SessionState, participantId: string, locale: Locale): string {
  const all = [
    ...(state.overview?.lobby ?? []),
    ...(state.overview?.rooms.flatMap((r) => r.occupants) ?? []),
    ...Object.values(state.occupants).flat(),
  ];
  return all.find((o) => o.participantId === participantId)?.displayName ?? floorText(locale, 'floor.someone');
}

/** Re-renders every quarter second while `on`: the countdown follows the clock closely on every page. */
function useTick(on: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const id = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(id);
  }, [on]);
  return now;
}

const purposeKey = (p: TimerPurpose): FloorMessageKey => `floor.purpose.${p}`;

/**
 * A room's clock as a live countdown, by the server's time (`endsAt` and the page's offset from
 * the server's clock), so every page in the room reads the same. The visible digits are a
 * role="timer" (not spoken as they change); a separate polite live region says the coarse steps
 * only: each minute, 30 s, 10 s, time up.
 */
export function RoomClock({ timer, state }: { timer: RoomTimer; state: SessionState }) {
  const ft = useFloorText();
  const now = useTick(true);
  const left = secondsLeft(timer.endsAt, state.serverOffsetMs, now, timer.durationSeconds);
  const what = timer.label ? `${ft(purposeKey(timer.purpose))} — ${timer.label}` : ft(purposeKey(timer.purpose));
  const time = formatClock(left);
  const step = clockStep(left);
  // The live region's words depend on the step only: they change at a step, not every second.
  const announce =
    step.kind === 'up'
      ? ft('floor.timeUp')
      : step.kind === 'seconds'
        ? ft('floor.secondsLeft', { n: step.n })
        : step.n === 1
          ? ft('floor.oneMinuteLeft')
          : ft('floor.minutesLeft', { n: step.n });
  return (
    <div className={left === 0 ? 'room-clock up' : 'room-clock'} data-testid="room-clock" data-purpose={timer.purpose}>
      <span className="clock-what">
        <bdi>{what}</bdi>
      </span>{' '}
      <span
        role="timer"
        className="clock-digits"
        dir="ltr"
        aria-label={left === 0 ? ft('floor.up', { what }) : ft('floor.left', { what, time })}
        data-seconds-left={left}
      >
        {time}
      </span>
      <span className="sr-only" aria-live="polite" aria-atomic="true">
        {announce}
      </span>
    </div>
  );
}

/** A room's hands in order, each with its name; a mediator gets a Lower button on each. */
function HandsQueue({ ctl, state, floor, canLower }: { ctl: SessionController; state: SessionState; floor: RoomFloor; canLower: boolean }) {
  const ft = useFloorText();
  const { locale } = useI18n();
  const { run, busy, error } = useAction();
  if (!floor.hands.length) return <p className="muted hands-none">{ft('floor.noHands')}</p>;
  return (
    <div className="hands">
      <ol className="hands-queue" aria-label={ft('floor.hands')}>
        {floor.hands.map((h) => {
          const name = nameOf(state, h.participantId, locale);
          return (
            <li key={h.participantId} data-participant-id={h.participantId}>
              <span aria-hidden="true" className="hand-mark">
                ✋
              </span>
              <bdi className="name">{name}</bdi>
              {canLower && (
                <button
                  type="button"
                  className="quiet"
                  disabled={busy}
                  aria-label={ft('floor.lowerOfAria', { name })}
                  onClick={() => void run(() => ctl.lowerHand(h.participantId))}
                >
                  {ft('floor.lowerOf')}
                </button>
              )}
            </li>
          );
        })}
      </ol>
      <ErrorNote error={error} />
    </div>
  );
}

/**
 * The floor of the room one is in (delegation and observer views): the clock, the hands up, and —
 * for a party member — Raise hand / Lower hand.
 */
export function RoomFloorBar({ ctl, state, roomId }: { ctl: SessionController; state: SessionState; roomId: string }) {
  const ft = useFloorText();
  const floor = state.roomFloors[roomId];
  const { run, busy, error } = useAction();
  const canRaise = state.me.role === 'party_member' && state.status === 'open';
  const place = floor ? floor.hands.findIndex((h) => h.participantId === state.me.id) + 1 : 0;
  // Nothing to show (no clock, no hand, nothing to do here): no empty card.
  if (!canRaise && !floor?.timer && !floor?.hands.length) return null;
  return (
    <section className="card room-floor" aria-label={ft('floor.hands')} data-testid="room-floor">
      {floor?.timer && <RoomClock timer={floor.timer} state={state} />}
      {canRaise && (
        <div className="hand-toggle">
          <button
            type="button"
            aria-pressed={place > 0}
            disabled={busy}
            onClick={() => void run(() => (place > 0 ? ctl.lowerHand() : ctl.raiseHand()))}
          >
            <span aria-hidden="true">✋ </span>
            {place > 0 ? ft('floor.lower') : ft('floor.raise')}
          </button>
          {place > 0 && (
            <span className="muted" role="status">
              {ft('floor.yourPlace', { n: place })}
            </span>
          )}
        </div>
      )}
      <ErrorNote error={error} />
      {floor && floor.hands.length > 0 && (
        <>
          <h3 className="hands-title">{ft('floor.hands')}</h3>
          <HandsQueue ctl={ctl} state={state} floor={floor} canLower={false} />
        </>
      )}
    </section>
  );
}

/** A mediator's clock controls for one room: minutes:seconds, what for, an optional label; start and stop. */
export function TimerControls({
  ctl,
  roomId,
  roomName,
  running,
}: {
  ctl: SessionController;
  roomId: string;
  roomName: string;
  running: boolean;
}) {
  const ft = useFloorText();
  const { run, busy, error } = useAction();
  const [minutes, setMinutes] = useState('2');
  const [seconds, setSeconds] = useState('0');
  const [purpose, setPurpose] = useState<TimerPurpose>('speaking');
  const [label, setLabel] = useState('');
  const duration = durationOf(minutes, seconds);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (duration === null) return;
    void run(() => ctl.setTimer(roomId, duration, purpose, label.trim() || undefined));
  };
  const id = `clock-${roomId}`;
  return (
    <details className="timer-controls">
      <summary>{ft('floor.clockFor', { room: roomName })}</summary>
      <form onSubmit={submit} className="timer-form" aria-label={ft('floor.clockFor', { room: roomName })}>
        <div className="duration" dir="ltr">
          <label htmlFor={`${id}-m`}>{ft('floor.minutes')}</label>
          <input
            id={`${id}-m`}
            type="number"
            inputMode="numeric"
            min={0}
            max={1440}
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
          />
          <span aria-hidden="true">:</span>
          <label htmlFor={`${id}-s`}>{ft('floor.seconds')}</label>
          <input
            id={`${id}-s`}
            type="number"
            inputMode="numeric"
            min={0}
            max={59}
            value={seconds}
            onChange={(e) => setSeconds(e.target.value)}
          />
        </div>
        <span className="field">
          <label htmlFor={`${id}-p`}>{ft('floor.for')}</label>
          <select id={`${id}-p`} value={purpose} onChange={(e) => setPurpose(e.target.value as TimerPurpose)}>
            {TIMER_PURPOSES.map((p) => (
              <option key={p} value={p}>
                {ft(purposeKey(p))}
              </option>
            ))}
          </select>
        </span>
        <span className="field">
          <label htmlFor={`${id}-l`}>{ft('floor.label')}</label>
          <input id={`${id}-l`} value={label} maxLength={80} dir="auto" onChange={(e) => setLabel(e.target.value)} />
        </span>
        {duration === null && (
          <p className="error" role="alert">
            {ft('floor.badDuration')}
          </p>
        )}
        <ErrorNote error={error} />
        <div className="timer-actions">
          <button type="submit" disabled={busy || duration === null} aria-label={ft('floor.startAria', { room: roomName })}>
            {ft('floor.start')}
          </button>
          {running && (
            <button
              type="button"
              className="quiet"
              disabled={busy}
              aria-label={ft('floor.stopAria', { room: roomName })}
              onClick={() => void run(() => ctl.clearTimer(roomId))}
            >
              {ft('floor.stop')}
            </button>
          )}
        </div>
      </form>
    </details>
  );
}

/**
 * What the console's board shows of a room without entering it: who is speaking, its clock, the
 * hands up in order with Lower, and the clock's controls.
 */
export function BoardFloor({
  ctl,
  state,
  roomId,
  roomName,
}: {
  ctl: SessionController;
  state: SessionState;
  roomId: string;
  roomName: string;
}) {
  const ft = useFloorText();
  const { locale } = useI18n();
  const floor = state.roomFloors[roomId];
  const speaker = state.speaking[roomId];
  return (
    <div className="board-floor" role="group" aria-label={ft('floor.floorOf', { room: roomName })}>
      {/* Always there, empty in silence: the line coming and going moved the board under a finger about to tap. */}
      <p className="speaking-now" data-testid={speaker ? 'speaking-now' : undefined}>
        {speaker && (
          <>
            <span aria-hidden="true">🔊 </span>
            {ft('floor.speaking', { name: nameOf(state, speaker, locale) })}
          </>
        )}
      </p>
      {floor?.timer && <RoomClock timer={floor.timer} state={state} />}
      {floor && floor.hands.length > 0 && <HandsQueue ctl={ctl} state={state} floor={floor} canLower />}
      {state.status !== 'closed' && <TimerControls ctl={ctl} roomId={roomId} roomName={roomName} running={!!floor?.timer} />}
    </div>
  );
}
