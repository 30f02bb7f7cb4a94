import type { ParticipantRole } from '@parley/contracts';
import type { Tx } from '@parley/platform';
import type { RememberedSeat } from '../domain';

/**
 * Where participants are (a room, or the lobby) and as whom, and the seats remembered over a
 * break. Takes and returns plain data; its implementation owns the SQL.
 */
export abstract class PlacementStore {
  /** One participant to a room (null: the lobby). */
  abstract place(tx: Tx, participantId: string, roomId: string | null): Promise<void>;
  /** These participants to the lobby, in one statement. */
  abstract sendToLobby(tx: Tx, participantIds: readonly string[]): Promise<void>;
  /** These participants of the session into one room, in one statement. */
  abstract placeAll(tx: Tx, sessionId: string, participantIds: readonly string[], roomId: string): Promise<void>;
  /** Everyone in the room to the lobby. */
  abstract emptyRoom(tx: Tx, roomId: string): Promise<void>;
  abstract setRole(
    tx: Tx,
    participantId: string,
    next: { role: ParticipantRole; partyId: string | null; isHead: boolean; roomId: string | null },
  ): Promise<void>;
  /** Strikes the participant from every joint room's members. */
  abstract leaveJointRooms(tx: Tx, participantId: string): Promise<void>;
  abstract breakSeats(tx: Tx, sessionId: string): Promise<RememberedSeat[]>;
  abstract rememberBreakSeats(tx: Tx, sessionId: string, seats: readonly RememberedSeat[]): Promise<void>;
  abstract forgetBreakSeats(tx: Tx, sessionId: string): Promise<void>;
  abstract forgetBreakSeatOf(tx: Tx, participantId: string): Promise<void>;
}
