/**
 * The floor of a room: who asked to speak, in order, and the mediator's clock. A hand belongs to
 * the room it was raised in (a move drops it); a timer belongs to its room and is seen by everyone
 * in it, and by the mediators from anywhere.
 */

/** What a mediator's clock in a room is for. */
export const TIMER_PURPOSES = ['speaking', 'break', 'other'] as const;
export type TimerPurpose = (typeof TIMER_PURPOSES)[number];

/** A raised hand, in the order hands went up (oldest first). */
export interface RaisedHand {
  participantId: string;
  raisedAt: string;
}

/** A running (or paused) clock. Remaining time is `endsAt` minus the server's time (see `serverTime`). */
export interface RoomTimer {
  purpose: TimerPurpose;
  /** An optional word for it ("North's opening statement"), 0–80 characters. */
  label: string | null;
  durationSeconds: number;
  startedAt: string;
  endsAt: string;
  setBy: string;
}

/** To a room's occupants and the mediators: the room's hands and clock after a change. */
export interface RoomFloor {
  sessionId: string;
  roomId: string;
  hands: RaisedHand[];
  timer: RoomTimer | null;
  /** The server's clock when this was sent, so that every page counts down from the same time. */
  serverTime: string;
}

/** Raise one's own hand in the room one is in. */
export type HandRaisePayload = Record<string, never>;
/** Lower one's own hand; a mediator may name someone else's (`participantId`). */
export interface HandLowerPayload {
  participantId?: string;
}
/** A mediator starts (or replaces) the clock of a room: 1 s to 24 h. */
export interface TimerSetPayload {
  roomId: string;
  seconds: number;
  purpose: TimerPurpose;
  label?: string;
}
export interface TimerClearPayload {
  roomId: string;
}
