import { PARTICIPANT_ROLES, type ParticipantRole } from '@parley/contracts';
import { isDomainError } from '@parley/platform/domain';
import { channelDenial, channelTurns, takeChannel, type ChannelTurn } from './interpretation.policy';
import type { MediaKind } from './media-kind';

/**
 * Who may publish which channel, generated over role × channel asked × kinds, and compared with
 * the rule in words; then the turns of a channel (one active publisher) through publish, handover
 * and departure.
 */
const SESSION = ['ar', 'en', 'fr'];
const PAIR = ['en', 'fr'];
const CHANNELS = [
  ['none', undefined],
  ['null', null],
  ['in their pair', 'fr'],
  ['declared, not in their pair', 'ar'],
  ['not declared', 'de'],
] as const;
const KINDS: MediaKind[][] = [['audio'], ['audio', 'video'], ['video'], ['screen'], ['audio', 'audio']];

function expected(role: ParticipantRole, channel: string | null | undefined, kinds: MediaKind[]): string {
  if (role !== 'interpreter') return channel == null ? 'allow' : 'CHANNEL_REFUSED channel';
  if (kinds.some((k) => k !== 'audio')) return 'MEDIA_KIND_REFUSED kinds';
  if (channel !== 'fr') return 'CHANNEL_REFUSED channel';
  return 'allow';
}

describe('interpretation channels: who publishes which', () => {
  const cases = PARTICIPANT_ROLES.flatMap((role) =>
    CHANNELS.flatMap(([label, channel]) => KINDS.map((kinds) => [role, label, channel, kinds] as const)),
  );

  it.each(cases)('%s, channel %s (%p), kinds %p', (role, _label, channel, kinds) => {
    const sut = channelDenial({ role, languages: role === 'interpreter' ? PAIR : null }, SESSION, { channel, kinds });
    expect(sut ? `${sut.code} ${sut.field}` : 'allow').toBe(expected(role, channel, kinds));
  });

  it('an interpreter without a recorded pair publishes no channel at all', () => {
    expect(channelDenial({ role: 'interpreter' }, SESSION, { channel: 'fr', kinds: ['audio'] })).toMatchObject({
      code: 'CHANNEL_REFUSED',
      field: 'channel',
    });
  });

  it('a language of their pair that the session no longer declares is refused', () => {
    expect(channelDenial({ role: 'interpreter', languages: PAIR }, ['en'], { channel: 'fr', kinds: ['audio'] })).toMatchObject({
      code: 'CHANNEL_REFUSED',
      field: 'channel',
    });
  });
});

const turn = (participantId: string, channel: string, since: number, active = false): ChannelTurn => ({
  participantId,
  channel,
  since,
  active,
});

describe('interpretation channels: one active publisher per channel', () => {
  it('the first to publish is active, a second of the same channel is standby, other channels have their own', () => {
    const sut = channelTurns([turn('ines', 'fr', 1), turn('ivo', 'fr', 2), turn('amal', 'ar', 3)]);
    expect([...sut].sort()).toEqual(['amal', 'ines']);
  });

  it('the holder of the turn keeps it, even when published later than the standby', () => {
    expect([...channelTurns([turn('ines', 'fr', 1), turn('ivo', 'fr', 2, true)])]).toEqual(['ivo']);
  });

  it('when the holder is gone, the earliest standby takes over by itself', () => {
    const after = [turn('ivo', 'fr', 2), turn('ida', 'fr', 3)];
    expect([...channelTurns(after)]).toEqual(['ivo']);
  });

  it('a channel without publishers has no turn', () => {
    expect(channelTurns([]).size).toBe(0);
  });

  it('take: the standby becomes active, the holder standby; other channels untouched', () => {
    const publishers = [turn('ines', 'fr', 1, true), turn('ivo', 'fr', 2), turn('amal', 'ar', 3, true)];
    const sut = takeChannel(publishers, 'ivo', 'fr');
    expect({ active: [...sut.active].sort(), changed: sut.changed, previous: sut.previous }).toEqual({
      active: ['amal', 'ivo'],
      changed: true,
      previous: 'ines',
    });
  });

  it('take by the holder changes nothing', () => {
    const sut = takeChannel([turn('ines', 'fr', 1, true), turn('ivo', 'fr', 2)], 'ines', 'fr');
    expect({ active: [...sut.active], changed: sut.changed }).toEqual({ active: ['ines'], changed: false });
  });

  it.each([
    ['a channel they do not publish', 'ivo', 'ar'],
    ['a channel nobody publishes', 'ivo', 'de'],
    ['someone who does not publish', 'nobody', 'fr'],
  ])('take of %s is refused, CHANNEL_REFUSED on channel', (_what, who, channel) => {
    let error: unknown;
    try {
      takeChannel([turn('ines', 'fr', 1, true), turn('ivo', 'fr', 2), turn('amal', 'ar', 3, true)], who, channel);
    } catch (e) {
      error = e;
    }
    expect(isDomainError(error) ? { code: error.code, field: error.field } : error).toEqual({ code: 'CHANNEL_REFUSED', field: 'channel' });
  });
});
