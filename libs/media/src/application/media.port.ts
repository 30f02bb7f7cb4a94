/**
 * What the platform needs from an SFU, and nothing more. Parley decides who may publish and who
 * receives what (membership); the SFU only carries media between the handles Parley opened for
 * it. Browsers never talk to the SFU: every SDP goes through the Parley gateway.
 *
 * Shaped so that a mediasoup adapter can be written later without touching the rest: a "media
 * room" is one Parley room; a participant has at most one publisher and one subscription per
 * media room; the SFU's own ids never leave the adapter except as opaque `feedId`s.
 */
import type { SubscribedStream } from '@parley/contracts';
import type { MediaKind } from '../domain/media-kind';

export type { MediaKind };

export interface MediaRoomSpec {
  sessionId: string;
  roomId: string;
  /** Upper bound for each publisher's bitrate, in kbit/s (null: the adapter's default). */
  bitrateCapKbps: number | null;
  /** Audio only: publishers' video is refused and no video is forwarded. */
  audioOnly: boolean;
}

export interface PublishRequest {
  roomId: string;
  participantId: string;
  /** The browser's SDP offer. */
  offerSdp: string;
  /** What the participant sends; audio-only rooms and participants send ['audio']. */
  kinds: MediaKind[];
}

export interface PublishAnswer {
  answerSdp: string;
  feedId: string;
}

export interface Feed {
  feedId: string;
  participantId: string;
  kinds: MediaKind[];
}

export interface SubscribeRequest {
  roomId: string;
  participantId: string;
  /** The feeds to receive (never the participant's own); audio-only drops video streams. */
  feedIds: string[];
  audioOnly: boolean;
}

export interface SubscribeOffer {
  /** The SFU's SDP offer; complete it with `answer`. */
  offerSdp: string;
  feedIds: string[];
  /** Which feed and kind each m-line carries, so the browser can put each track in its tile. */
  streams: SubscribedStream[];
}

export interface RoomMediaStats {
  roomId: string;
  publishers: number;
  subscribers: number;
  /** The participants with a live publisher or subscription in this media room. */
  participants: string[];
}

export type MediaAvailability = { available: true; sfu: string } | { available: false; reason: string };

/** An SFU lost: why (for logs, never for clients), and the sessions whose media rooms went with it. */
export interface SfuLoss {
  reason: string;
  sessionIds: string[];
}

/**
 * The SFU answers again after a loss (restarted, or reconnected to): every room and seat of the
 * listed sessions is gone, and their participants must join their media again.
 */
export interface SfuReset {
  reason: 'sfu_restarted' | 'sfu_reconnected';
  sessionIds: string[];
}

export interface MediaPort {
  availability(): MediaAvailability;
  /** Called each time the SFU comes back after a loss (never for the first start). */
  onReset(listener: (reset: SfuReset) => void): void;
  /** Creates the media room of a Parley room (idempotent), protected by a secret only Parley knows. */
  openRoom(spec: MediaRoomSpec): Promise<void>;
  /** Tears the media room down, with everything in it. */
  closeRoom(roomId: string): Promise<void>;
  /**
   * Lets a participant into a media room: with `mayPublish`, a publishing seat (a per-participant
   * token the SFU checks); without, receive-only — the SFU refuses any publish from it.
   */
  admit(roomId: string, participantId: string, mayPublish: boolean): Promise<void>;
  publish(req: PublishRequest): Promise<PublishAnswer>;
  /** Stops a participant's publishing in a room (their feed disappears for everyone). */
  unpublish(roomId: string, participantId: string): Promise<void>;
  subscribe(req: SubscribeRequest): Promise<SubscribeOffer>;
  /** The browser's SDP answer to a subscription offer. */
  answer(roomId: string, participantId: string, answerSdp: string): Promise<void>;
  /** Everything of this participant in this room, at once: publisher, subscription, seat. */
  evict(roomId: string, participantId: string): Promise<void>;
  feeds(roomId: string): Promise<Feed[]>;
  stats(roomId: string): Promise<RoomMediaStats>;
  /** Stops the adapter (and an SFU process it started). */
  shutdown(): Promise<void>;
}

export const MEDIA_PORT = Symbol('MEDIA_PORT');
