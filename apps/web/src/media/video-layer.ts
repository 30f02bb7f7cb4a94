import type { VideoLayer } from '@parley/contracts';
import { keepWindow, lastAtOrBefore, type LinkReading } from './low-bandwidth';

/**
 * Which picture the page asks of every camera in its room (media.layer): cameras are sent in two
 * simulcast layers, a quarter-size one and the full picture, and the SFU forwards the one asked.
 * A step before the audio-only switch (low-bandwidth.ts), read from the same readings: down fast,
 * up slowly, so that a link at the edge does not flap between the two.
 *  - low: over the last 5 s, more than 2 % of the packets sent to us were lost (on a link too thin
 *    for the full picture its queue drops them; the low layer needs about a quarter of the rate);
 *  - high again: over the last 30 s, under 0.5 % lost.
 * The browser's bandwidth estimate is left out: it follows what arrives, so it stays low while the
 * low layer is all that is sent and would never let the picture come back.
 * A window in which nothing arrived decides nothing (a stall: the media connection's own failure
 * handling deals with it), and neither does a subscription without video.
 */
export const LAYER_RULE = { lowWindowMs: 5000, lowLossRatio: 0.02, highWindowMs: 30_000, highLossRatio: 0.005 } as const;

/** The layer to ask now, given the layer asked so far and the readings, oldest first. */
export function layerFor(readings: readonly LinkReading[], current: VideoLayer, rule = LAYER_RULE): VideoLayer {
  const last = readings[readings.length - 1];
  if (!last?.video) return current;
  const windowMs = current === 'high' ? rule.lowWindowMs : rule.highWindowMs;
  const baseIndex = lastAtOrBefore(readings, last.at - windowMs);
  if (baseIndex < 0) return current;
  const base = readings[baseIndex];
  const lost = Math.max(0, last.lost - base.lost);
  const received = Math.max(0, last.received - base.received);
  if (received === 0) return current;
  const ratio = lost / (lost + received);
  if (current === 'high') return ratio > rule.lowLossRatio ? 'low' : 'high';
  return ratio < rule.highLossRatio ? 'high' : 'low';
}

/** The readings the next decision needs: the longer window and its base, no more. */
export function keepLayerWindow(readings: readonly LinkReading[], rule = LAYER_RULE): LinkReading[] {
  return keepWindow(readings, { windowMs: Math.max(rule.lowWindowMs, rule.highWindowMs) });
}
