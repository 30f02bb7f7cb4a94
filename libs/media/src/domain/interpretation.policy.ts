import type { ErrorCode, ParticipantRole } from '@parley/contracts';
import { DomainError } from '@parley/platform/domain';
import type { MediaKind } from './media-kind';

/**
 * Interpretation channels: an interpreter publishes audio into one language (a channel) of the
 * room they are in; listeners choose the floor or a channel. Parley, not the SFU, knows which feed
 * is a channel and which interpreter of a channel is heard now: the SFU only carries audio.
 */

/** What the channel rules need of a publisher: their role and, for an interpreter, their pair. */
export interface ChannelPublisherProfile {
  readonly role: ParticipantRole;
  /** An interpreter's two working languages (null or absent: none recorded). */
  readonly languages?: readonly string[] | null;
}

export interface ChannelRefusal {
  code: ErrorCode;
  message: string;
  field: 'channel' | 'kinds';
}

/**
 * Why this publish may not carry (or lack) this channel, or null when it may. Only an interpreter
 * publishes a channel, and an interpreter publishes only a channel: audio alone (never a camera or
 * a screen: they are heard, not seen), into one of their two languages, which the session still
 * declares (the pair was checked against the declared languages at the invitation; checked again
 * here so that no channel ever names an undeclared language).
 */
export function channelDenial(
  p: ChannelPublisherProfile,
  sessionLanguages: readonly string[],
  req: { channel?: string | null; kinds: readonly MediaKind[] },
): ChannelRefusal | null {
  const channel = req.channel ?? null;
  if (p.role !== 'interpreter')
    return channel === null
      ? null
      : { code: 'CHANNEL_REFUSED', message: 'Only an interpreter publishes an interpretation channel.', field: 'channel' };
  if (req.kinds.some((k) => k !== 'audio'))
    return { code: 'MEDIA_KIND_REFUSED', message: 'Interpreters publish audio only: no camera and no screen.', field: 'kinds' };
  if (channel === null)
    return { code: 'CHANNEL_REFUSED', message: 'An interpreter publishes into a channel: name the language.', field: 'channel' };
  const pair = p.languages ?? [];
  if (!pair.includes(channel))
    return {
      code: 'CHANNEL_REFUSED',
      message: pair.length ? `You interpret into ${pair.join(' or ')} only.` : 'No working languages are recorded for you.',
      field: 'channel',
    };
  if (!sessionLanguages.includes(channel))
    return { code: 'CHANNEL_REFUSED', message: 'This language is not one the session declares.', field: 'channel' };
  return null;
}

export function assertChannelAllowed(
  p: ChannelPublisherProfile,
  sessionLanguages: readonly string[],
  req: { channel?: string | null; kinds: readonly MediaKind[] },
): void {
  const denial = channelDenial(p, sessionLanguages, req);
  if (denial) throw new DomainError(denial.code, denial.message, denial.field);
}

/** One live publisher of a channel in a room, as held by Parley. */
export interface ChannelTurn {
  readonly participantId: string;
  readonly channel: string;
  /** When they (last) started publishing on it: an order, not a time (earlier is smaller). */
  readonly since: number;
  /** Whether they hold the channel's active turn as last decided. */
  readonly active: boolean;
}

/**
 * Who is heard on each channel of a room: one active publisher per channel. The one who holds the
 * turn keeps it while they publish; a channel whose holder is gone (left, moved, unpublished) or
 * that never had one passes to its earliest publisher, so the first to publish is active and a
 * standby takes over by itself. Returns the participant ids holding a turn; every other publisher
 * of a channel is standby. A channel without publishers has no turn (and no feed to show).
 */
export function channelTurns(publishers: readonly ChannelTurn[]): Set<string> {
  const byChannel = new Map<string, ChannelTurn[]>();
  for (const p of publishers) byChannel.set(p.channel, [...(byChannel.get(p.channel) ?? []), p]);
  const active = new Set<string>();
  for (const turns of byChannel.values()) {
    const ordered = [...turns].sort((a, b) => a.since - b.since || (a.participantId < b.participantId ? -1 : 1));
    active.add((ordered.find((t) => t.active) ?? ordered[0]).participantId);
  }
  return active;
}

/**
 * An interpreter takes the active turn on a channel (a handover): they must publish on that
 * channel in this room now. Returns who holds the turns afterwards (the channel's previous holder
 * becomes standby; other channels are untouched), and whether anything changed.
 */
export function takeChannel(
  publishers: readonly ChannelTurn[],
  participantId: string,
  channel: string,
): { active: Set<string>; changed: boolean; previous: string | null } {
  if (!publishers.some((p) => p.participantId === participantId && p.channel === channel))
    throw new DomainError('CHANNEL_REFUSED', 'You do not publish this channel in this room: publish it first.', 'channel');
  const before = channelTurns(publishers);
  const previous = publishers.find((p) => p.channel === channel && before.has(p.participantId))?.participantId ?? null;
  const active = channelTurns(publishers.map((p) => (p.channel === channel ? { ...p, active: p.participantId === participantId } : p)));
  return { active, changed: previous !== participantId, previous };
}
