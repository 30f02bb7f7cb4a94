/** What a participant sends: microphone, camera, or a shared screen. */
export const MEDIA_KINDS = ['audio', 'video', 'screen'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** The SFUs Parley drives. */
export const SFU_ENGINES = ['mediasoup', 'janus'] as const;
export type SfuEngine = (typeof SFU_ENGINES)[number];

/** Whether this platform has an SFU (which, and its version), and if not, why. */
export type MediaStatusView = { available: true; sfu: string; engine: SfuEngine } | { available: false; reason: string };

export interface FeedView {
  feedId: string;
  participantId: string;
  /** What the feed carries: 'screen' when its publisher shares a screen or window (its own tile). */
  kinds: MediaKind[];
  /** The publisher's microphone is on (media.state; true until they say otherwise): the muted mark on their tile. */
  micOn: boolean;
  /** The publisher's camera is on (media.state; true until they say otherwise): the camera-off mark on their tile. */
  cameraOn: boolean;
  /**
   * An interpretation channel: the language this (audio-only) feed interprets into, published by an
   * interpreter. Absent or null: the floor (what is said in the room).
   */
  channel?: string | null;
  /**
   * On a channel with two interpreters (a handover), whether this is the one listeners hear now: one
   * active publisher per channel and room. Absent on floor feeds.
   */
  channelActive?: boolean;
}

/** A participant's media seat in the room they are in. */
export interface MediaJoinView {
  sessionId: string;
  roomId: string;
  /** Observers (and anyone the rules refuse) receive only. */
  mayPublish: boolean;
  /** The room's or the participant's low-bandwidth mode: audio only. */
  audioOnly: boolean;
  bitrateKbps: number;
  /** What can be received now (never one's own). */
  feeds: FeedView[];
  /**
   * The SFU behind this seat. The page speaks the same SDP offer/answer with Parley either way (the
   * server bridges it for mediasoup); it may adapt to the engine, and decides nothing by it.
   */
  sfu: SfuEngine;
}

/**
 * To one participant: the SFU sees their link losing what it sends them (Janus' slowlink reports of
 * their subscription, mediasoup's scores of their consumers), over a window (see the media domain's
 * link-quality.policy). The page, already judging its own side, takes it as a reason to stop
 * receiving video (with a notice and an undo). Never sent to anyone else.
 */
export interface MediaLink {
  sessionId: string;
  roomId: string;
  quality: 'poor';
  /** What the SFU reported in the window: reports and, where the SFU counts them, packets lost. */
  reports: number;
  lost: number | null;
}

/** To a room: who speaks now, from the SFU's audio analysis (the active-speaker highlight). */
export interface MediaActivity {
  sessionId: string;
  roomId: string;
  /** The dominant speaker (null: silence). */
  speaking: string | null;
  /** Loudness of those speaking, dBov (0 loudest, -127 silence), loudest first. */
  levels: { participantId: string; dBov: number }[];
}

export interface MediaRoomSettingsView {
  roomId: string;
  audioOnly: boolean;
  /** null: the platform's default. */
  bitrateKbps: number | null;
}

/** To a room: who publishes there now. */
export interface MediaFeedsChanged {
  sessionId: string;
  roomId: string;
  feeds: FeedView[];
}

/** To a participant: everything of theirs in that room's media was torn down by the server. */
export interface MediaCut {
  sessionId: string;
  roomId: string;
  reason: 'moved' | 'role_changed' | 'left';
}

/** To a session: the SFU lost every room (it restarted, or came back after an outage); media must be joined again. */
export interface MediaReset {
  sessionId: string;
  reason: 'sfu_restarted' | 'sfu_reconnected';
}

/** One m-line of a subscription offer: which feed, and which of its tracks, it carries. */
export interface SubscribedStream {
  mid: string;
  feedId: string;
  kind: 'audio' | 'video';
  /** Present on the video of a shared screen or window (its own tile); absent for the microphone and the camera. */
  screen?: true;
}

/** A subscription offer: one PeerConnection carries every feed asked for. */
export interface MediaSubscriptionOffer {
  offerSdp: string;
  feeds: FeedView[];
  streams: SubscribedStream[];
}

export interface MediaJoinPayload {
  audioOnly?: boolean;
}
export interface MediaPublishPayload {
  offerSdp: string;
  kinds: MediaKind[];
  /**
   * An interpreter's channel: the declared language they interpret into (one of their pair), with
   * kinds ['audio'] only. Refused from anyone else, and required from an interpreter.
   */
  channel?: string;
}

/** An interpreter takes (or hands back) the active turn on their channel in their room: `media.channel.take`. */
export interface MediaChannelTakePayload {
  channel: string;
}
export interface MediaSubscribePayload {
  feedIds?: string[];
}
export interface MediaAnswerPayload {
  answerSdp: string;
}

/**
 * Which picture a subscriber receives of each camera published in simulcast (the page sends two:
 * a quarter-size low layer and the full picture): `low` on a thin link or by choice, `high`
 * otherwise (the default). A camera without layers is received as it is sent.
 */
export const VIDEO_LAYERS = ['low', 'high'] as const;
export type VideoLayer = (typeof VIDEO_LAYERS)[number];
export interface MediaLayerPayload {
  layer: VideoLayer;
}

/** Whether a participant's microphone and camera are on (the marks on their tile). */
export interface MediaStatePayload {
  micOn: boolean;
  cameraOn: boolean;
}
