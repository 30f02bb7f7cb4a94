import { DomainError } from '@parley/platform/domain';
import type { ErrorCode, SessionStatus } from '@parley/contracts';
import { isMediator, type LocatedParticipant, type Participant, type Room } from './model';
import { mayEnter } from './membership.policy';
import { decidePlacement, type PlacementDecision } from './placement.policy';

/** One move of a bulk move: who, and where to. */
export interface BulkMove {
  readonly target: LocatedParticipant;
  readonly room: Room;
}

/** A move the rules refuse, and why (the same code a single move would get). */
export interface BulkRefusal {
  readonly participantId: string;
  readonly roomId: string;
  readonly code: ErrorCode;
  readonly message: string;
}

export interface BulkDecision {
  /** The moves to apply, in the order given. */
  readonly decisions: PlacementDecision[];
  /** Participants already in the room they were sent to: nothing to do, nothing audited. */
  readonly unchanged: string[];
  /** Moves the rules refuse. When any is refused, none of the moves may be applied. */
  readonly refused: BulkRefusal[];
}

/** Only mediators place people (the same refusal as a single move's), checked before anything is looked up. */
export function assertMayMove(actor: Participant): void {
  if (!isMediator(actor)) {
    throw new DomainError('MOVE_FORBIDDEN', 'Only a mediator may move participants between rooms.');
  }
}

/** The most moves one request may carry (a session's participants, with room to spare). */
export const MAX_BULK_MOVES = 200;

/**
 * A bulk move decided as a whole, before anything is applied: every move goes through the same rule
 * as a single move (decidePlacement: mediators only, the session's status, closed rooms, who may
 * enter which room). The caller applies the decisions only when nothing is refused: a bulk move
 * that includes someone who may not enter their target room is refused as a whole, so the mediator
 * never ends up with half a delegation in its caucus and the other half elsewhere.
 */
export function decideBulkPlacement(actor: Participant, moves: readonly BulkMove[], status: SessionStatus): BulkDecision {
  assertMayMove(actor);
  const seen = new Set<string>();
  for (const m of moves) {
    if (seen.has(m.target.id)) {
      throw new DomainError('VALIDATION_FAILED', 'moves names the same participant twice', 'moves', { participantId: m.target.id });
    }
    seen.add(m.target.id);
  }
  const decisions: PlacementDecision[] = [];
  const unchanged: string[] = [];
  const refused: BulkRefusal[] = [];
  for (const { target, room } of moves) {
    if (target.roomId === room.id) {
      unchanged.push(target.id);
      continue;
    }
    try {
      decisions.push(decidePlacement({ kind: 'move', actor, target, room, status }));
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      refused.push({ participantId: target.id, roomId: room.id, code: e.code, message: e.message });
    }
  }
  return { decisions, unchanged, refused };
}

/**
 * "Each delegation to its caucus": every seated party member who is not in their party's caucus,
 * and every seated interpreter a party brought, with that party (the mediators' own interpreters
 * have no caucus: they stay where they are).
 * People waiting in the lobby stay there: admitting someone is a decision taken one person at a time.
 * A party without an open caucus is skipped (its members stay where they are).
 */
export function caucusMoves(participants: readonly LocatedParticipant[], rooms: readonly Room[]): BulkMove[] {
  const moves: BulkMove[] = [];
  for (const p of participants) {
    const partyId = p.role === 'party_member' ? p.partyId : p.role === 'interpreter' ? (p.broughtByPartyId ?? null) : null;
    if (partyId === null || p.roomId === null) continue;
    const caucus = rooms.find((r) => r.kind === 'caucus' && r.partyId === partyId && !r.closed);
    if (caucus && p.roomId !== caucus.id) moves.push({ target: p, room: caucus });
  }
  return moves;
}

/**
 * "Everyone to the plenary": every seated participant who is elsewhere, mediators included (the
 * plenary reconvenes with its chairs). The lobby stays as it is.
 */
export function plenaryMoves(participants: readonly LocatedParticipant[], rooms: readonly Room[]): BulkMove[] {
  const plenary = rooms.find((r) => r.kind === 'plenary');
  if (!plenary) return [];
  return participants.filter((p) => p.roomId !== null && p.roomId !== plenary.id).map((p) => ({ target: p, room: plenary }));
}

/**
 * Where a Move list starts for a person: the room they were last in, when they may enter it,
 * otherwise the plenary; never a room they may not enter (another party's caucus), never the room
 * they are in. `lastRoomId` is the room before the current one (or before the lobby); null when
 * unknown. Null when no room is left to offer.
 */
export function defaultMoveTarget<R extends Room>(
  person: Participant,
  rooms: readonly R[],
  lastRoomId: string | null,
  currentRoomId: string | null,
): R | null {
  const candidates = rooms.filter((r) => r.id !== currentRoomId && !r.closed && mayEnter(person, r));
  return candidates.find((r) => r.id === lastRoomId) ?? candidates.find((r) => r.kind === 'plenary') ?? candidates[0] ?? null;
}
