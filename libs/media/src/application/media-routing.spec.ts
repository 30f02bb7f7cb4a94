import { DomainError } from '@parley/platform';
import { commandOf, holderOf, NotOwner, orphansIn, parseMessage, parseReply, replyOf, resultOf, routeTo } from './media-routing';

const caller = { userId: 'u1', sessionId: 's1' };

describe('routeTo: where a media request is executed', () => {
  it.each([
    ['nobody alive holds the room', null, { here: true }],
    ['this instance owns it', 'me', { here: true }],
    ['another instance owns it', 'other', { here: false, to: 'other' }],
  ])('%s', (_, owner, expected) => {
    expect(routeTo(owner, 'me')).toEqual(expected);
  });
});

describe('commandOf: a forwarded command keeps only its own fields', () => {
  it.each([
    ['join', { ...caller, audioOnly: true, roomId: 'claimed' }, { ...caller, audioOnly: true }],
    ['join', { ...caller }, { ...caller }],
    ['publish', { ...caller, offerSdp: 'v=0', kinds: ['video'], mayPublish: true }, { ...caller, offerSdp: 'v=0', kinds: ['video'] }],
    ['subscribe', { ...caller, feedIds: ['f'] }, { ...caller, feedIds: ['f'] }],
    ['answer', { ...caller, answerSdp: 'v=0' }, { ...caller, answerSdp: 'v=0' }],
    ['leave', { ...caller, participantId: 'someone else' }, { ...caller }],
    [
      'publish',
      { ...caller, offerSdp: 'v=0', kinds: ['audio', 'video', 'screen'] },
      { ...caller, offerSdp: 'v=0', kinds: ['audio', 'video', 'screen'] },
    ],
    ['state', { ...caller, micOn: false, cameraOn: true, participantId: 'someone else' }, { ...caller, micOn: false, cameraOn: true }],
    [
      'publish',
      { ...caller, offerSdp: 'v=0', kinds: ['audio'], channel: 'fr' },
      { ...caller, offerSdp: 'v=0', kinds: ['audio'], channel: 'fr' },
    ],
    ['take', { ...caller, channel: 'fr', participantId: 'someone else' }, { ...caller, channel: 'fr' }],
    ['layer', { ...caller, layer: 'low', participantId: 'someone else' }, { ...caller, layer: 'low' }],
  ] as const)('%s %j', (op, raw, expected) => {
    expect(commandOf(op, raw)).toEqual(expected);
  });

  it.each([
    ['join', { sessionId: 's1' }],
    ['join', { ...caller, audioOnly: 'yes' }],
    ['publish', { ...caller, offerSdp: 'v=0', kinds: ['window'] }],
    ['state', { ...caller, micOn: 'no', cameraOn: true }],
    ['state', { ...caller, micOn: false }],
    ['publish', { ...caller, kinds: ['audio'] }],
    ['subscribe', { ...caller, feedIds: [1] }],
    ['answer', { ...caller }],
    ['leave', null],
    ['publish', { ...caller, offerSdp: 'v=0', kinds: ['audio'], channel: 7 }],
    ['take', { ...caller }],
    ['take', { ...caller, channel: ['fr'] }],
    ['layer', { ...caller }],
    ['layer', { ...caller, layer: 'medium' }],
    ['layer', { ...caller, layer: 0 }],
  ] as const)('refuses %s %j', (op, raw) => {
    expect(commandOf(op, raw)).toBeNull();
  });
});

describe('parseMessage', () => {
  it('reads a call, a cut and a finished session', () => {
    expect(parseMessage({ kind: 'call', op: 'leave', cmd: caller })).toEqual({ kind: 'call', op: 'leave', cmd: caller });
    expect(parseMessage({ kind: 'cut', sessionId: 's', participantId: 'p', roomIdNow: null })).toEqual({
      kind: 'cut',
      sessionId: 's',
      participantId: 'p',
      roomIdNow: null,
    });
    expect(parseMessage({ kind: 'finished', sessionId: 's' })).toEqual({ kind: 'finished', sessionId: 's' });
    expect(parseMessage({ kind: 'call', op: 'take', cmd: { ...caller, channel: 'fr' } })).toEqual({
      kind: 'call',
      op: 'take',
      cmd: { ...caller, channel: 'fr' },
    });
  });

  it.each([
    null,
    'text',
    { kind: 'call', op: 'evict', cmd: caller },
    { kind: 'call', op: 'join', cmd: {} },
    { kind: 'cut', sessionId: 's' },
  ])('ignores %j', (raw) => {
    expect(parseMessage(raw)).toBeNull();
  });
});

describe('replies: what the owner answered reaches the caller as if it happened here', () => {
  const roundTrip = (outcome: Parameters<typeof replyOf>[0]) => () => resultOf(parseReply(JSON.parse(JSON.stringify(replyOf(outcome))))!);

  it('a result', () => {
    expect(roundTrip({ ok: true, data: { left: true } })()).toEqual({ left: true });
  });

  it('a DomainError keeps its code, message and field', () => {
    const sut = roundTrip({ ok: false, error: new DomainError('FEED_NOT_FOUND', 'No such feed in this room.', 'feedIds') });
    expect(sut).toThrow(DomainError);
    try {
      sut();
    } catch (e) {
      expect(e).toMatchObject({ code: 'FEED_NOT_FOUND', message: 'No such feed in this room.', field: 'feedIds' });
    }
  });

  it('not the owner: the caller learns which instance is', () => {
    expect(roundTrip({ ok: false, error: new NotOwner('other') })).toThrow(NotOwner);
  });

  it('anything else is a plain Error (INTERNAL), never a code the owner did not give', () => {
    const sut = roundTrip({ ok: false, error: new TypeError('boom') });
    expect(sut).toThrow('the instance holding this media room failed: boom');
    expect(sut).not.toThrow(DomainError);
  });

  it.each([null, {}, { ok: false }, { ok: false, error: { code: 1 } }])('ignores the reply %j', (raw) => {
    expect(parseReply(raw)).toBeNull();
  });
});

describe('orphansIn: rooms whose owner is no longer alive', () => {
  it('lists exactly the rooms of dead owners, with their session', () => {
    const holders = { r1: 'a s1', r2: 'b s1', r3: 'c s2', r4: 'malformed' };
    expect(orphansIn(holders, new Set(['a', 'b']))).toEqual([{ roomId: 'r3', owner: 'c', sessionId: 's2', stored: 'c s2' }]);
    expect(orphansIn(holders, new Set(['a', 'b', 'c']))).toEqual([]);
  });

  it('holderOf reads "<owner> <session>" only', () => {
    expect(holderOf('a s1')).toEqual({ owner: 'a', sessionId: 's1' });
    expect(holderOf('a')).toBeNull();
    expect(holderOf('a s1 x')).toBeNull();
  });
});
