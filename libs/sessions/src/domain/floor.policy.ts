import { DomainError, nameProblem, normaliseName } from '@parley/platform/domain';
import { TIMER_PURPOSES, type SessionStatus, type TimerPurpose } from '@parley/contracts';
import { assertStatusAllows } from './lifecycle.policy';
import { isMediator, type LocatedParticipant, type Participant, type Room } from './model';

/** The mediator's clock runs from one second to one day. */
export const TIMER_MIN_SECONDS = 1;
export const TIMER_MAX_SECONDS = 24 * 60 * 60;
/** A clock's optional word ("North's opening statement"). */
export const TIMER_LABEL_MAX = 80;

/** A raised hand: it belongs to the room it was raised in. */
export interface Hand {
  readonly participantId: string;
  readonly roomId: string;
  readonly raisedAt: Date;
}

/** A room's clock, set by a mediator. */
export interface Timer {
  readonly roomId: string;
  readonly purpose: TimerPurpose;
  readonly label: string | null;
  readonly durationSeconds: number;
  readonly startedAt: Date;
  readonly endsAt: Date;
  /** The participant (a mediator) who set it. */
  readonly setBy: string;
}

export type FloorEvent =
  | { type: 'hand.raised'; participantId: string; roomId: string; raisedAt: Date }
  | { type: 'hand.lowered'; participantId: string; roomId: string; byMediator: boolean }
  | { type: 'timer.set'; timer: Timer }
  | { type: 'timer.cleared'; roomId: string };

/**
 * Why this participant may not hold a hand up, or null when they may. Asking to speak is a party
 * member's act (heads included): observers are read-only everywhere, and mediators hold the floor
 * already — they give it, they do not queue for it.
 */
export function handDenial(p: Participant): { code: 'OBSERVER_READ_ONLY' | 'PARTY_MEMBER_ONLY'; message: string } | null {
  if (p.role === 'observer') return { code: 'OBSERVER_READ_ONLY', message: 'Observers may not ask to speak.' };
  if (p.role !== 'party_member' || !p.partyId) {
    return { code: 'PARTY_MEMBER_ONLY', message: 'Only members of a delegation raise a hand; mediators give the floor.' };
  }
  return null;
}

/**
 * A party member raises their hand in the room they are in. Raising it again in the same room
 * changes nothing (null: the place in the queue is kept); a hand still up in another room (a move
 * whose drop has not landed yet) is replaced by this one.
 */
export function decideRaise(actor: LocatedParticipant, status: SessionStatus, current: Hand | null, now: Date): FloorEvent | null {
  const denial = handDenial(actor);
  if (denial) throw new DomainError(denial.code, denial.message);
  assertStatusAllows(status, 'partyPost');
  if (!actor.roomId) throw new DomainError('NOT_IN_ROOM', 'Raise a hand from a room: you are in the lobby.');
  if (current && current.roomId === actor.roomId) return null;
  return { type: 'hand.raised', participantId: actor.id, roomId: actor.roomId, raisedAt: now };
}

/**
 * Lowering a hand: one's own, or — a mediator — anyone's, in any room of the session. Observers
 * write nothing. Lowering a hand that is not up changes nothing (null).
 */
export function decideLower(actor: LocatedParticipant, target: LocatedParticipant, current: Hand | null): FloorEvent | null {
  if (actor.role === 'observer') throw new DomainError('OBSERVER_READ_ONLY', 'Observers may not change the floor.');
  const own = actor.id === target.id;
  if (!own && !isMediator(actor)) {
    throw new DomainError('MEDIATOR_ONLY', "Only a mediator may lower someone else's hand.", 'participantId');
  }
  if (!current) return null;
  return { type: 'hand.lowered', participantId: target.id, roomId: current.roomId, byMediator: !own };
}

export interface TimerCommand {
  actor: Participant;
  /** The room, when it exists in the actor's session (null: unknown or another session's). */
  room: Room | null;
  status: SessionStatus;
  seconds: number;
  purpose: TimerPurpose;
  label?: string | null;
  now: Date;
}

/** The stored form of a clock's label: NFC, trimmed, null when empty; refused when it misleads or is too long. */
export function timerLabel(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const label = normaliseName(raw);
  if (typeof label !== 'string') throw new DomainError('VALIDATION_FAILED', 'label must be a string', 'label');
  if (label === '') return null;
  if (label.length > TIMER_LABEL_MAX) {
    throw new DomainError('VALIDATION_FAILED', `label must be shorter than or equal to ${TIMER_LABEL_MAX} characters`, 'label');
  }
  const problem = nameProblem(label, 'label');
  if (problem) throw new DomainError('VALIDATION_FAILED', problem, 'label');
  return label;
}

function assertMayTime(actor: Participant, room: Room | null, status: SessionStatus): Room {
  if (!isMediator(actor)) throw new DomainError('MEDIATOR_ONLY', "Only a mediator keeps a room's time.");
  assertStatusAllows(status, 'mediatorPost');
  if (!room) throw new DomainError('ROOM_NOT_FOUND', 'No such room in this session.', 'roomId');
  if (room.closed) throw new DomainError('ROOM_CLOSED', 'This room is closed.', 'roomId');
  return room;
}

/**
 * A mediator starts (or replaces) the clock of any open room of their session, wherever they
 * are: 1 s to 24 h, a purpose, an optional label (the rule for names, 0–80 characters).
 */
export function decideTimer(cmd: TimerCommand): FloorEvent {
  const room = assertMayTime(cmd.actor, cmd.room, cmd.status);
  const { seconds } = cmd;
  if (!Number.isInteger(seconds) || seconds < TIMER_MIN_SECONDS || seconds > TIMER_MAX_SECONDS) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `seconds must be a whole number from ${TIMER_MIN_SECONDS} to ${TIMER_MAX_SECONDS}`,
      'seconds',
    );
  }
  if (!(TIMER_PURPOSES as readonly string[]).includes(cmd.purpose)) {
    throw new DomainError('VALIDATION_FAILED', `purpose must be one of ${TIMER_PURPOSES.join(', ')}`, 'purpose');
  }
  const label = timerLabel(cmd.label);
  return {
    type: 'timer.set',
    timer: {
      roomId: room.id,
      purpose: cmd.purpose,
      label,
      durationSeconds: seconds,
      startedAt: cmd.now,
      endsAt: new Date(cmd.now.getTime() + seconds * 1000),
      setBy: cmd.actor.id,
    },
  };
}

/** A mediator stops a room's clock; a room without one is left as it is (null). */
export function decideClearTimer(actor: Participant, room: Room | null, status: SessionStatus, current: Timer | null): FloorEvent | null {
  const r = assertMayTime(actor, room, status);
  return current ? { type: 'timer.cleared', roomId: r.id } : null;
}

/** The queue of a room: oldest hand first (ties, which a clock's resolution can make, by id). */
export function queueOf(hands: readonly Hand[], roomId: string): Hand[] {
  return hands
    .filter((h) => h.roomId === roomId)
    .sort((a, b) => a.raisedAt.getTime() - b.raisedAt.getTime() || (a.participantId < b.participantId ? -1 : 1));
}

/**
 * The hands that no longer stand: a hand is dropped when its owner left its room (a move, a bulk
 * move, the lobby, a break, a departure) or may no longer hold one (a role change). `people` are
 * the session's participants where they are now; a hand whose owner is not among them is dropped.
 */
export function staleHands(hands: readonly Hand[], people: readonly LocatedParticipant[]): Hand[] {
  const byId = new Map(people.map((p) => [p.id, p]));
  return hands.filter((h) => {
    const owner = byId.get(h.participantId);
    return !owner || owner.roomId !== h.roomId || handDenial(owner) !== null;
  });
}

/** The rooms whose floor a participant sees: every open room for mediators, else the room they are in. */
export function floorRoomsVisibleTo<R extends Room>(p: LocatedParticipant, rooms: readonly R[]): R[] {
  if (isMediator(p)) return rooms.filter((r) => !r.closed);
  return rooms.filter((r) => !r.closed && r.id === p.roomId);
}

/** Who may see a room's floor: its occupants and the mediators (wherever they are). */
export const maySeeFloor = (p: LocatedParticipant, room: Room): boolean => !room.closed && (isMediator(p) || p.roomId === room.id);
