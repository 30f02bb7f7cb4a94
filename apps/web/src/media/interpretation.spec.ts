import type { FeedView } from '@parley/contracts';
import {
  FLOOR_DUCKED_GAIN,
  gainPlan,
  heardAlone,
  listeningAfter,
  listeningKey,
  liveChannels,
  parseListening,
  turnOf,
  wantedFeeds,
} from './interpretation';

const feed = (feedId: string, extra: Partial<FeedView> = {}): FeedView => ({
  feedId,
  participantId: `p-${feedId}`,
  kinds: ['audio'],
  micOn: true,
  cameraOn: true,
  ...extra,
});
const floor = (id: string) => feed(id, { kinds: ['audio', 'video'] });
const channel = (id: string, language: string, active = true) => feed(id, { channel: language, channelActive: active });

describe('the channels live in a room', () => {
  it.each([
    ['no feed', [], []],
    ['the floor only', [floor('a'), floor('b')], []],
    ['one interpreter into French', [floor('a'), channel('i', 'fr')], ['fr']],
    [
      'two into French (a handover) and one into Arabic, in a stable order',
      [channel('j', 'fr', false), channel('k', 'ar'), channel('i', 'fr')],
      ['ar', 'fr'],
    ],
    ['a floor feed with channel null', [feed('a', { channel: null })], []],
  ] as const)('%s', (_, feeds, expected) => {
    expect(liveChannels(feeds)).toEqual(expected);
  });
});

describe('what a listener hears when the feeds change', () => {
  const withFr = [floor('a'), channel('i', 'fr')];
  const floorOnly = [floor('a')];
  it.each([
    ['chose the floor', null, null, withFr, { heard: null, lost: null }],
    ['chose French, French is live', 'fr', null, withFr, { heard: 'fr', lost: null }],
    ['heard French, its interpreter left: the floor, with the notice', 'fr', 'fr', floorOnly, { heard: null, lost: 'fr' }],
    ['remembered French, not live yet on entering: the floor, no notice', 'fr', null, floorOnly, { heard: null, lost: null }],
    ['remembered French, its interpreter comes back: French again', 'fr', null, withFr, { heard: 'fr', lost: null }],
    ['heard French, chooses the floor', null, 'fr', withFr, { heard: null, lost: null }],
    ['remembered a channel that is not there', 'es', null, withFr, { heard: null, lost: null }],
  ] as const)('%s', (_, wanted, heard, feeds, expected) => {
    expect(listeningAfter(wanted, heard, feeds)).toEqual(expected);
  });
});

describe('the feeds received', () => {
  const feeds = [floor('a'), floor('b'), channel('i', 'fr'), channel('j', 'fr', false), channel('k', 'ar')];
  it('on the floor: the floor only, no interpretation track', () => {
    expect(wantedFeeds(feeds, null).map((f) => f.feedId)).toEqual(['a', 'b']);
  });
  it('on French: the floor and both French interpreters (a handover changes a gain, not the subscription), never Arabic', () => {
    expect(wantedFeeds(feeds, 'fr').map((f) => f.feedId)).toEqual(['a', 'b', 'i', 'j']);
  });
  it('receiving audio only, on French: both French interpreters alone, without the floor (one voice fits a thin link, two do not)', () => {
    expect(wantedFeeds(feeds, 'fr', true).map((f) => f.feedId)).toEqual(['i', 'j']);
    expect(heardAlone(feeds, 'fr', true)).toBe(true);
  });
  it('receiving audio only, on the floor, or on a channel no longer live: the floor as ever, never alone', () => {
    expect(wantedFeeds(feeds, null, true).map((f) => f.feedId)).toEqual(['a', 'b']);
    expect(heardAlone(feeds, null, true)).toBe(false);
    const floorOnly = feeds.filter((f) => !f.channel);
    expect(wantedFeeds(floorOnly, 'fr', true).map((f) => f.feedId)).toEqual(['a', 'b']);
    expect(heardAlone(floorOnly, 'fr', true)).toBe(false);
    expect(heardAlone(feeds, 'fr', false)).toBe(false);
  });
});

describe('the gain of each feed', () => {
  const feeds = [floor('a'), channel('i', 'fr'), channel('j', 'fr', false), channel('k', 'ar')];
  it('on the floor: the floor at full gain, every channel silent', () => {
    expect(Object.fromEntries(gainPlan(feeds, null))).toEqual({ a: 1, i: 0, j: 0, k: 0 });
  });
  it('on French: its active interpreter at full gain, the floor ducked underneath, the one on standby and Arabic silent', () => {
    expect(Object.fromEntries(gainPlan(feeds, 'fr'))).toEqual({ a: FLOOR_DUCKED_GAIN, i: 1, j: 0, k: 0 });
    expect(FLOOR_DUCKED_GAIN).toBeGreaterThan(0);
    expect(FLOOR_DUCKED_GAIN).toBeLessThan(0.5);
  });
  it('a handover: the turn moves, the gains follow at once', () => {
    const after = [floor('a'), channel('i', 'fr', false), channel('j', 'fr', true)];
    expect(Object.fromEntries(gainPlan(after, 'fr'))).toEqual({ a: FLOOR_DUCKED_GAIN, i: 0, j: 1 });
  });
  it('a channel feed without channelActive (one interpreter, an older server) is heard', () => {
    expect(Object.fromEntries(gainPlan([feed('i', { channel: 'fr' })], 'fr'))).toEqual({ i: 1 });
  });
});

describe("an interpreter's turn", () => {
  const colleague = (active: boolean) => channel('c', 'fr', active);
  it.each([
    ['no channel chosen', null, null, [], { turn: 'off', takeable: false }],
    ['chosen, not published yet', null, 'fr', [], { turn: 'off', takeable: false }],
    ['alone on French', channel('me', 'fr'), 'fr', [], { turn: 'live', takeable: false }],
    ['live, a colleague on standby', channel('me', 'fr'), 'fr', [colleague(false)], { turn: 'live', takeable: false }],
    [
      'on standby, a colleague live: may take over',
      channel('me', 'fr', false),
      'fr',
      [colleague(true)],
      { turn: 'standby', takeable: true },
    ],
    ['own feed still on the old channel after a change', channel('me', 'ar'), 'fr', [], { turn: 'off', takeable: false }],
    [
      'a live colleague on another channel gives nothing to take',
      channel('me', 'fr', false),
      'fr',
      [channel('c', 'ar')],
      { turn: 'standby', takeable: false },
    ],
  ] as const)('%s', (_, own, chosen, others, expected) => {
    expect(turnOf(own, others, chosen)).toEqual(expected);
  });
});

describe('the remembered choice', () => {
  it('is kept per session and room', () => {
    expect(listeningKey('s1', 'r1')).not.toBe(listeningKey('s1', 'r2'));
    expect(listeningKey('s1', 'r1')).not.toBe(listeningKey('s2', 'r1'));
  });
  it.each([
    [null, null],
    ['', null],
    ['fr', 'fr'],
    ['pt-BR', 'pt-BR'],
    ['<script>', null],
    ['FRENCH', null],
  ])('%p reads as %p', (raw, expected) => {
    expect(parseListening(raw)).toBe(expected);
  });
});
