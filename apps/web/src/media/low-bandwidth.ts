/**
 * When the page stops receiving video by itself: its own view of the link, read from the
 * subscriber's RTCPeerConnection.getStats() every second, decided over a sliding window.
 *
 * A link is poor when, over the last 5 s (the window must be covered: one bad second is a burst,
 * not a link):
 *  - more than 8 % of the packets sent to us were lost (speech breaks up above that, see quality.ts,
 *    and on a link too thin for the video its queue drops far more), or
 *  - the browser's estimate of what it can receive (`availableIncomingBitrate`, when it gives one)
 *    stayed under 150 kbit/s in every reading: room for the audio (~40 kbit/s a voice, an
 *    interpretation channel more) but not for a picture, or
 *  - the audio's jitter stayed above 100 ms in every reading (the jitter buffer can no longer hide it).
 *
 * Only a subscription that carries video is judged (whether any of its video arrived or not: on a
 * link too thin for it, none may): there is nothing to shed otherwise. A second in which nothing at
 * all arrived ends in a stall, not a thin link (the SFU stopped, the connection broke; a thin link
 * still brings the audio's 50 packets a second, some of them): the media connection's own failure
 * handling deals with it, with its message and *Try again*. So the newest second must have brought
 * something: a window that straddles the moment the SFU froze (packets, then none, the browser's
 * estimate falling) decides nothing either.
 */
export const POOR_LINK = { windowMs: 5000, availableKbps: 150, lossRatio: 0.08, jitterMs: 100 } as const;

/** One reading of the receiving side: counters are cumulative, as getStats gives them. */
export interface LinkReading {
  at: number;
  /** The candidate pair's availableIncomingBitrate, kbit/s; null when the browser gives none. */
  availableKbps: number | null;
  lost: number;
  received: number;
  /** The worst inbound audio jitter, ms; null without inbound audio. */
  jitterMs: number | null;
  /** Whether the subscription receives any video now. */
  video: boolean;
}

/**
 * What getStats says about the receiving side, at `at` (ms). `carriesVideo`: whether the subscription
 * asked for video (its offer has video m-lines); without it, whether any video packet arrived.
 */
export function readingOf(report: RTCStatsReport, at: number, carriesVideo?: boolean): LinkReading {
  let availableKbps: number | null = null;
  let lost = 0;
  let received = 0;
  let jitterMs: number | null = null;
  let video = false;
  report.forEach((s: Record<string, unknown>) => {
    if (s.type === 'candidate-pair' && s.nominated && typeof s.availableIncomingBitrate === 'number')
      availableKbps = s.availableIncomingBitrate / 1000;
    if (s.type !== 'inbound-rtp') return;
    lost += Math.max(0, Number(s.packetsLost ?? 0));
    received += Number(s.packetsReceived ?? 0);
    if (s.kind === 'video' && Number(s.packetsReceived ?? 0) > 0) video = true;
    if (s.kind === 'audio' && typeof s.jitter === 'number') jitterMs = Math.max(jitterMs ?? 0, s.jitter * 1000);
  });
  return { at, availableKbps, lost, received, jitterMs, video: carriesVideo ?? video };
}

/**
 * Whether the link has been poor for the whole window ending at the newest reading. `readings` are
 * oldest first; those older than the window's start (bar the one just before it, the loss's base)
 * do not count.
 */
export function isPoorLink(readings: readonly LinkReading[], policy = POOR_LINK): boolean {
  const last = readings[readings.length - 1];
  if (!last?.video) return false;
  const start = last.at - policy.windowMs;
  // The base of the window: the newest reading at or before its start. None: the window is not covered yet.
  const baseIndex = lastAtOrBefore(readings, start);
  if (baseIndex < 0) return false;
  const base = readings[baseIndex];
  const inWindow = readings.slice(baseIndex + 1);
  if (!inWindow.length) return false;
  const lost = Math.max(0, last.lost - base.lost);
  const received = Math.max(0, last.received - base.received);
  // Nothing arrived since the reading before the newest: a stall, not a thin link (see above).
  const before = readings[readings.length - 2];
  if (received === 0 || last.received <= before.received) return false;
  if (lost + received > 0 && lost / (lost + received) > policy.lossRatio) return true;
  if (inWindow.every((r) => r.availableKbps !== null && r.availableKbps < policy.availableKbps)) return true;
  return inWindow.every((r) => r.jitterMs !== null && r.jitterMs > policy.jitterMs);
}

/** The readings still needed for the next decision: the window and its base, no more. */
export function keepWindow<R extends { at: number }>(readings: readonly R[], policy: { windowMs: number } = POOR_LINK): R[] {
  const last = readings[readings.length - 1];
  if (!last) return [];
  const baseIndex = lastAtOrBefore(readings, last.at - policy.windowMs);
  return readings.slice(Math.max(0, baseIndex));
}

/** The index of the newest reading at or before `at` (-1: none): a window's base. */
export function lastAtOrBefore(readings: readonly { at: number }[], at: number): number {
  for (let i = readings.length - 1; i >= 0; i--) if (readings[i].at <= at) return i;
  return -1;
}

/**
 * The sending side: when the page stops sending its camera by itself. A camera on an uplink too
 * thin for it takes the whole of it (a 64 kbit/s uplink: 66 kbit/s sent, the queue full), and the
 * voice and every request the page makes (the socket's acks, the text's fetches) wait behind it.
 * Read from the publisher's getStats() every second:
 *  - the browser's estimate of what it can send (`availableOutgoingBitrate`, the congestion
 *    controller's) stayed under 64 kbit/s in every reading of the last 5 s: the voice (~40 kbit/s
 *    with its packets' overhead) leaves less than the camera's lowest layer needs at its floor
 *    (~30 kbit/s). Measured: 24–30 kbit/s on a 64 kbit/s link; on a 250 kbit/s link it dipped to
 *    97 for 3 s (its feedback comes back on a downlink the mediator's full picture flooded);
 *  - and the SFU kept answering meanwhile (its receiver reports counted on): an estimate that falls
 *    because nothing comes back is a stalled connection, which the media connection's own failure
 *    handling deals with.
 * Only a publication that sends video is judged: there is nothing to shed otherwise.
 */
export const THIN_UPLINK = { windowMs: 5000, availableKbps: 64 } as const;

/** One reading of the sending side: `reports` is cumulative, as getStats gives it. */
export interface UplinkReading {
  at: number;
  /** The candidate pair's availableOutgoingBitrate, kbit/s; null when the browser gives none. */
  availableKbps: number | null;
  /** The receiver reports the SFU sent back so far (remote-inbound-rtp roundTripTimeMeasurements). */
  reports: number;
  /** Whether the publication sends video (a camera or a screen). */
  video: boolean;
}

/** What the publisher's getStats says about the sending side, at `at` (ms). */
export function uplinkReadingOf(report: RTCStatsReport, at: number): UplinkReading {
  let availableKbps: number | null = null;
  let reports = 0;
  let video = false;
  report.forEach((s: Record<string, unknown>) => {
    if (s.type === 'candidate-pair' && s.nominated && typeof s.availableOutgoingBitrate === 'number')
      availableKbps = s.availableOutgoingBitrate / 1000;
    if (s.type === 'outbound-rtp' && s.kind === 'video') video = true;
    if (s.type === 'remote-inbound-rtp') reports += Number(s.roundTripTimeMeasurements ?? 0);
  });
  return { at, availableKbps, reports, video };
}

/** Whether the uplink has been too thin for video over the whole window ending at the newest reading. */
export function isThinUplink(readings: readonly UplinkReading[], policy = THIN_UPLINK): boolean {
  const last = readings[readings.length - 1];
  if (!last?.video) return false;
  const baseIndex = lastAtOrBefore(readings, last.at - policy.windowMs);
  if (baseIndex < 0) return false;
  const inWindow = readings.slice(baseIndex + 1);
  if (!inWindow.length || last.reports <= readings[baseIndex].reports) return false;
  return inWindow.every((r) => r.video && r.availableKbps !== null && r.availableKbps < policy.availableKbps);
}
