/**
 * What the platform needs from an SFU, and nothing more: every SFU adapter implements it alike.
 * Parley decides who may publish and who receives what (membership, roles, audio only, never one's
 * own feed) in MediaSessions, once, before the port is called; an adapter carries out what it is
 * asked and enforces in the SFU itself only what the SFU can check (a receive-only seat can never
 * publish). Browsers never talk to the SFU's API: every SDP goes through the Parley gateway, and
 * only the media itself (ICE, DTLS-SRTP) flows between the browser and the SFU.
 *
 * A "media room" is one Parley room; a participant has at most one seat, one publisher and one
 * subscription per media room; the SFU's own ids never leave the adapter except as opaque
 * `feedId`s. Failures are DomainErrors with the contract's codes: MEDIA_UNAVAILABLE (no SFU, or
 * it is down: retry later), MEDIA_NOT_JOINED (no such media room or seat), FEED_NOT_FOUND (no such
 * live feed), OBSERVER_READ_ONLY (a receive-only seat asked to publish), MEDIA_UNSUPPORTED (an offer
 * with no codec in common with the SFU; field offerSdp), VALIDATION_FAILED (an SDP that does not
 * parse, or carries nothing to publish), MEDIA_FAILED (the SFU refused or failed the request;
 * nothing else changed). Never a raw exception.
 */
import type { SubscribedStream, VideoLayer } from '@parley/contracts';
import type { MediaKind } from '../domain/media-kind';

export type { MediaKind };

export interface MediaRoomSpec {
  sessionId: string;
  roomId: string;
  /** Upper bound for each publisher's bitrate, in kbit/s (null: the adapter's default). */
  bitrateCapKbps: number | null;
}

export interface PublishRequest {
  roomId: string;
  participantId: string;
  /** The browser's SDP offer. */
  offerSdp: string;
  /**
   * What the participant may send, already decided by the caller (audio only applied, never
   * empty): m-lines of any other kind are answered inactive.
   */
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
  /** The feeds to receive, already decided by the caller (never the participant's own). */
  feedIds: string[];
  /** Receive the feeds' audio only (the caller's decision: the participant's or the room's). */
  audioOnly: boolean;
  /** The simulcast layer to receive of each camera sent in layers (default high); others come as sent. */
  layer?: VideoLayer;
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
  /** The seats that may publish, and the participants with a live publisher or subscription, in this media room. */
  participants: string[];
}

/** Which SFU an adapter drives: the page learns it from media.join (it decides nothing by it). */
export type SfuEngine = 'mediasoup' | 'janus';

export type MediaAvailability = { available: true; sfu: string; engine: SfuEngine } | { available: false; reason: string };

/**
 * One room as the SFU itself holds it (asked of the SFU, not of the adapter's bookkeeping): a Janus
 * VideoRoom, or a mediasoup router. For tests and diagnostics; never sent to a client.
 */
export interface SfuRoom {
  /** The SFU's own id (Janus room number, mediasoup router id). */
  sfuRoomId: string;
  /** The Parley room it carries, when the SFU records it (null: not one of Parley's). */
  roomId: string | null;
  /** Live publishers (Janus) or producers (mediasoup) in it. */
  publishers: number;
}

/**
 * Who is speaking in a media room, from the SFU's own audio analysis (mediasoup's audio-level and
 * active-speaker observers, Janus' talking events): sent to the room, for the active-speaker highlight.
 */
export interface RoomActivity {
  roomId: string;
  /** The dominant speaker now (null: nobody speaks). */
  speaking: string | null;
  /** Loudness per speaking participant, in dBov (0 loudest, -127 silence), loudest first. */
  levels: { participantId: string; dBov: number }[];
}

/**
 * The SFU says a subscriber is losing what it sends them: a Janus slowlink on their subscription, or
 * a mediasoup consumer of theirs scoring poorly. One report is a burst; the media domain's
 * link-quality.policy decides when reports make a poor link.
 */
export interface LinkReport {
  roomId: string;
  participantId: string;
  /** Packets the report says were lost (Janus counts them); null when the SFU gives a score instead. */
  lost: number | null;
}

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
  /**
   * Releases the media room in the SFU (whatever the SFU holds for it), with every seat and
   * stream in it. Idempotent: closing a room that is not open (or after the SFU was lost) is a no-op.
   */
  closeRoom(roomId: string): Promise<void>;
  /**
   * Lets a participant into a media room: with `mayPublish`, a seat that may publish; without,
   * receive-only — and the SFU itself, not only Parley, must refuse any publish from that seat.
   * Admitting again replaces the previous seat.
   */
  admit(roomId: string, participantId: string, mayPublish: boolean): Promise<void>;
  publish(req: PublishRequest): Promise<PublishAnswer>;
  /** Stops a participant's publishing in a room (their feed disappears for everyone); no-op without one. */
  unpublish(roomId: string, participantId: string): Promise<void>;
  subscribe(req: SubscribeRequest): Promise<SubscribeOffer>;
  /**
   * The simulcast layer this participant receives of every camera sent in layers, from now on and
   * without a new negotiation (Janus `substream`, mediasoup preferred layers). A no-op without a
   * subscription; the next subscription is asked with its own `layer`.
   */
  setLayer(roomId: string, participantId: string, layer: VideoLayer): Promise<void>;
  /** The browser's SDP answer to a subscription offer. */
  answer(roomId: string, participantId: string, answerSdp: string): Promise<void>;
  /**
   * Everything of this participant in this room, at once: subscription first, then publisher
   * (unpublished), then the seat. A no-op when there is none, or when the SFU was lost.
   */
  evict(roomId: string, participantId: string): Promise<void>;
  feeds(roomId: string): Promise<Feed[]>;
  stats(roomId: string): Promise<RoomMediaStats>;
  /** The rooms the SFU itself holds now (asked of it): what a close must release. Tests and diagnostics. */
  sfuRooms(): Promise<SfuRoom[]>;
  /** Called with each change of who speaks in a room this adapter holds. */
  onActivity(listener: (activity: RoomActivity) => void): void;
  /** Called with each report of a subscriber's link losing packets, in a room this adapter holds. */
  onLinkReport(listener: (report: LinkReport) => void): void;
  /** Stops the adapter (and an SFU process it started). */
  shutdown(): Promise<void>;
}

export const MEDIA_PORT = Symbol('MEDIA_PORT');
