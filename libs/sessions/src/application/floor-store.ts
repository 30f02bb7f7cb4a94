import type { Tx } from '@parley/platform';
import type { FloorEvent, Hand, LocatedParticipant, Timer } from '../domain';

/**
 * The floors of a session as the domain sees them (hands, clocks, and where the hands' owners are
 * now), and what a floor decision writes back.
 */
export abstract class FloorStore {
  abstract handOf(tx: Tx, participantId: string): Promise<Hand | null>;
  /** The session's hands (of some rooms only, when named), in no particular order. */
  abstract hands(tx: Tx, sessionId: string, roomIds?: readonly string[]): Promise<Hand[]>;
  abstract timers(tx: Tx, sessionId: string, roomIds?: readonly string[]): Promise<Timer[]>;
  abstract timerOf(tx: Tx, roomId: string): Promise<Timer | null>;
  /** The owners of hands, where they are now (the rule that drops hands reads them). */
  abstract people(tx: Tx, sessionId: string, ids?: readonly string[]): Promise<LocatedParticipant[]>;
  abstract apply(tx: Tx, sessionId: string, e: FloorEvent): Promise<void>;
  /** Removes exactly these hands (each in its room: a hand raised since in another room stays); the ones removed. */
  abstract drop(tx: Tx, hands: readonly Hand[]): Promise<Hand[]>;
}
