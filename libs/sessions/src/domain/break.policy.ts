import { DomainError } from '@parley/platform/domain';
import type { BreakView, ParticipantRole, SessionStatus } from '@parley/contracts';
import { isMediator, type LocatedParticipant, type Room } from './model';
import { mayEnter } from './membership.policy';

/** Longest announced break: a working day. */
export const BREAK_MAX_MINUTES = 480;
export const BREAK_REASON_MAX = 200;

/** A break as the session stores it (no break: every field null). */
export interface BreakState {
  readonly reason: string | null;
  readonly startedAt: Date | null;
  readonly endsAt: Date | null;
}

export const NO_BREAK: BreakState = { reason: null, startedAt: null, endsAt: null };

/** What a mediator may say along with a change of status. */
export interface StatusOptions {
  reason?: string | null;
  minutes?: number | null;
  restoreSeats?: boolean | null;
}

/** The options, checked against the status asked for (and nothing else, so it runs before any read). */
export interface CheckedStatusOptions {
  reason: string | null;
  minutes: number | null;
  /** Meaningful only on resume; true unless the mediator said false. */
  restoreSeats: boolean;
}

/**
 * A reason and a length describe a break: they come with `suspended` only. `restoreSeats`
 * decides what resumption does: it comes with `open` only. The reason is trimmed (an empty one
 * is no reason); the length is whole minutes, 1 to 480.
 */
export function checkStatusOptions(to: SessionStatus, o: StatusOptions): CheckedStatusOptions {
  const reason = typeof o.reason === 'string' ? o.reason.trim() : null;
  const minutes = o.minutes ?? null;
  if (to !== 'suspended') {
    if (reason) throw new DomainError('VALIDATION_FAILED', 'A reason is given for a break only (status suspended).', 'reason');
    if (minutes !== null) throw new DomainError('VALIDATION_FAILED', 'A length is given for a break only (status suspended).', 'minutes');
  }
  if (to !== 'open' && o.restoreSeats != null) {
    throw new DomainError('VALIDATION_FAILED', 'Seats are restored on resumption only (status open).', 'restoreSeats');
  }
  if (reason && reason.length > BREAK_REASON_MAX) {
    throw new DomainError('VALIDATION_FAILED', `A break's reason has at most ${BREAK_REASON_MAX} characters.`, 'reason');
  }
  if (minutes !== null && (!Number.isInteger(minutes) || minutes < 1 || minutes > BREAK_MAX_MINUTES)) {
    throw new DomainError('VALIDATION_FAILED', `A break lasts 1 to ${BREAK_MAX_MINUTES} whole minutes.`, 'minutes');
  }
  return { reason: reason || null, minutes, restoreSeats: o.restoreSeats !== false };
}

/** The break that starts now (suspension), or none (any other status). */
export function breakOnStatus(to: SessionStatus, o: CheckedStatusOptions, now: Date): BreakState {
  if (to !== 'suspended') return NO_BREAK;
  return { reason: o.reason, startedAt: now, endsAt: o.minutes === null ? null : new Date(now.getTime() + o.minutes * 60_000) };
}

/** What everyone is told about the break: only a suspended session has one. */
export function toBreakView(status: SessionStatus, b: BreakState): BreakView | null {
  if (status !== 'suspended' || !b.startedAt) return null;
  return { reason: b.reason, startedAt: b.startedAt.toISOString(), endsAt: b.endsAt ? b.endsAt.toISOString() : null };
}

/** Where a non-mediator sat when the break began, and as whom. */
export interface RememberedSeat {
  readonly participantId: string;
  readonly roomId: string;
  readonly role: ParticipantRole;
  readonly partyId: string | null;
}

/** Who is remembered on suspension: exactly those the suspension sends to the lobby. */
export function seatsToRemember(sentToLobby: readonly LocatedParticipant[]): RememberedSeat[] {
  return sentToLobby
    .filter((p) => p.roomId !== null && !isMediator(p))
    .map((p) => ({ participantId: p.id, roomId: p.roomId!, role: p.role, partyId: p.partyId }));
}

export type SeatKeptInLobby =
  | 'not_restoring' // the mediator chose to resume with everyone in the lobby
  | 'no_seat' // arrived (or was already in the lobby) when the break began
  | 'already_seated' // placed again during the break (e.g. became a mediator and was seated)
  | 'role_changed' // role or party differs from when the break began
  | 'room_gone' // the room no longer exists, or was closed during the break
  | 'entry_denied'; // the membership rule no longer lets them in (e.g. struck from a joint room)

export interface SeatsOnResume {
  restored: Array<{ participantId: string; roomId: string }>;
  /** Those with a remembered seat that is not given back, and why. */
  keptInLobby: Array<{ participantId: string; reason: SeatKeptInLobby }>;
}

/**
 * Resumption gives each person back the room they were in when the break began — only if that
 * seat can still be taken: same role and party as then, the room open, and the membership rule
 * (the same one placement uses) letting them in. Anyone else stays in the lobby for a mediator
 * to admit. People without a remembered seat (newcomers) are not mentioned: they simply wait.
 */
export function seatsOnResume(input: {
  participants: readonly LocatedParticipant[];
  seats: readonly RememberedSeat[];
  rooms: readonly Room[];
  restoreSeats: boolean;
}): SeatsOnResume {
  const out: SeatsOnResume = { restored: [], keptInLobby: [] };
  const byId = new Map(input.participants.map((p) => [p.id, p]));
  const rooms = new Map(input.rooms.map((r) => [r.id, r]));
  for (const seat of input.seats) {
    const p = byId.get(seat.participantId);
    if (!p) continue;
    const keep = (reason: SeatKeptInLobby) => out.keptInLobby.push({ participantId: p.id, reason });
    if (!input.restoreSeats) {
      keep('not_restoring');
      continue;
    }
    if (p.role !== seat.role || p.partyId !== seat.partyId) {
      keep('role_changed');
      continue;
    }
    if (p.roomId !== null) {
      keep('already_seated');
      continue;
    }
    const room = rooms.get(seat.roomId);
    if (!room || room.closed) {
      keep('room_gone');
      continue;
    }
    if (!mayEnter(p, room)) {
      keep('entry_denied');
      continue;
    }
    out.restored.push({ participantId: p.id, roomId: room.id });
  }
  return out;
}
