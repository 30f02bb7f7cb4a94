import { LANGUAGE_CODE, type FeedView } from '@parley/contracts';

/**
 * Interpretation on the page, as plain rules: which channels a room has live, what a listener's
 * choice becomes when channels come and go, which feeds the subscription carries and at what gain
 * each is played. No DOM and no Web Audio here (interpretation-listening.ts applies them).
 */

/** The floor under a chosen channel: still heard (who speaks, the room's tone) but below the interpreter. */
export const FLOOR_DUCKED_GAIN = 0.25;

/** The channels live in a room: every language some interpreter's feed publishes into, in a stable order. */
export function liveChannels(feeds: readonly FeedView[]): string[] {
  const channels = new Set<string>();
  for (const f of feeds) if (f.channel) channels.add(f.channel);
  return [...channels].sort();
}

/**
 * What a listener hears after the room's feeds change. `wanted` is their choice for this room
 * (remembered, null: the floor); it is heard only while its channel is live. `lost` names a
 * channel that was heard before this change and is no longer live (the page says so), null otherwise.
 * The wish is kept: an interpreter whose link blinks comes back to the same listeners.
 */
export function listeningAfter(
  wanted: string | null,
  heard: string | null,
  feeds: readonly FeedView[],
): { heard: string | null; lost: string | null } {
  const live = liveChannels(feeds);
  const now = wanted !== null && live.includes(wanted) ? wanted : null;
  // Lost only when it went away: a listener choosing another one has lost nothing.
  return { heard: now, lost: heard !== null && now !== heard && !live.includes(heard) ? heard : null };
}

/**
 * The feeds this page subscribes to: the floor, and the chosen channel's every publisher (both
 * interpreters of a handover, so that a change of turn is a change of gain, not a new
 * subscription). Other channels are not received at all: on a slow link each costs bandwidth.
 * `alone` (the page receives audio only: a thin link, or the person's low-bandwidth choice): the
 * chosen channel without the floor underneath. Two voices at once take about 115 kbit/s, one about
 * 60 (README, "what each role needs"): on 64 kbit/s only the interpretation alone arrives whole.
 */
export function wantedFeeds(feeds: readonly FeedView[], heard: string | null, alone = false): FeedView[] {
  if (heardAlone(feeds, heard, alone)) return feeds.filter((f) => f.channel === heard);
  return feeds.filter((f) => !f.channel || f.channel === heard);
}

/** Whether the chosen channel is heard alone (see wantedFeeds): audio only, and a channel live and chosen. */
export function heardAlone(feeds: readonly FeedView[], heard: string | null, audioOnly: boolean): boolean {
  return audioOnly && heard !== null && feeds.some((f) => f.channel === heard);
}

/** A channel feed is the one heard unless the server says another holds the turn (channelActive false). */
const isActive = (f: FeedView) => f.channelActive !== false;

/**
 * The gain of each feed's audio: with the floor chosen, the floor at 1 and no channel; with a
 * channel chosen, its active interpreter at 1, the floor ducked underneath, and the interpreter on
 * standby silent (heard the moment the turn is theirs).
 */
export function gainPlan(feeds: readonly FeedView[], heard: string | null): Map<string, number> {
  const plan = new Map<string, number>();
  for (const f of feeds) {
    if (!f.channel) plan.set(f.feedId, heard === null ? 1 : FLOOR_DUCKED_GAIN);
    else plan.set(f.feedId, f.channel === heard && isActive(f) ? 1 : 0);
  }
  return plan;
}

/**
 * An interpreter's place on their channel: off (publishing nothing), live (heard), or standby
 * (publishing while a colleague holds the turn); `takeable` when a colleague holds it.
 */
export function turnOf(
  own: FeedView | null,
  others: readonly FeedView[],
  channel: string | null,
): { turn: 'off' | 'live' | 'standby'; takeable: boolean } {
  if (!channel || !own || own.channel !== channel) return { turn: 'off', takeable: false };
  const colleagueLive = others.some((f) => f.channel === channel && isActive(f));
  if (isActive(own)) return { turn: 'live', takeable: false };
  return { turn: 'standby', takeable: colleagueLive };
}

/** Where a listener's choice for one room of one session is remembered (localStorage). */
export const listeningKey = (sessionId: string, roomId: string) => `parley.listen.${sessionId}.${roomId}`;

/** A remembered choice as stored: a language code, or nothing (the floor). Anything else reads as the floor. */
export function parseListening(raw: string | null): string | null {
  return raw && LANGUAGE_CODE.test(raw) ? raw : null;
}
