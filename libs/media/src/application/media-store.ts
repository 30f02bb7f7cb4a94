import type { SessionStatus } from '@parley/contracts';
import type { Tx } from '@parley/platform';

/** A room's media settings, set by the mediators: audio only (low bandwidth) and a bitrate cap. */
export interface RoomMediaSettings {
  readonly audioOnly: boolean;
  /** kbit/s; null = the platform's default (MEDIA_BITRATE_KBPS). */
  readonly bitrateKbps: number | null;
}

/** What media keeps, and the little it reads of a session beyond what SessionDirectory answers. */
export abstract class MediaStore {
  /** The room's settings as the mediators set them (null: never set); with `sessionId`, only if the room is that session's. */
  abstract roomSettings(tx: Tx, roomId: string, sessionId?: string): Promise<RoomMediaSettings | null>;

  /** Sets the room's settings (they apply from the next join). */
  abstract saveRoomSettings(tx: Tx, sessionId: string, roomId: string, settings: RoomMediaSettings): Promise<void>;

  /** The session's status, whoever asks (null: no such session): what media may still run there. */
  abstract sessionStatus(tx: Tx, sessionId: string): Promise<SessionStatus | null>;
}
