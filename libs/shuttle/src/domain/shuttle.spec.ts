import { aParticipant, codeOf } from '@parley/sessions/domain/testing.factories';
import {
  decideOnMessage,
  decideSubmission,
  decideWithdrawal,
  isDueForRelease,
  maySeeMessage,
  wordDiff,
  type ShuttleMessage,
} from './shuttle';

const now = new Date('2026-11-28T12:00:00Z');
const member = aParticipant('party_member', { partyId: 'A' });
const mediator = aParticipant('co_mediator');
const aMessage = (over: Partial<ShuttleMessage> = {}): ShuttleMessage => ({
  id: 'm1',
  partyId: 'A',
  authorParticipantId: member.id,
  label: 'conveyable',
  conveyToPartyId: 'B',
  text: 'We accept the line',
  status: 'pending',
  releaseAt: now,
  ...over,
});

describe('decideSubmission', () => {
  it('goes straight to the queue without cooling-off', () => {
    expect(decideSubmission(member, { label: 'conveyable', conveyToPartyId: 'B' }, ['A', 'B'], 0, now)).toEqual({
      status: 'pending',
      releaseAt: now,
      conveyToPartyId: 'B',
    });
  });
  it('waits the cooling-off period', () => {
    const sut = decideSubmission(member, { label: 'mediator_only' }, ['A', 'B'], 30, now);
    expect(sut).toEqual({ status: 'cooling', releaseAt: new Date(now.getTime() + 30_000), conveyToPartyId: null });
  });
  it.each([
    ['own party', { label: 'conveyable' as const, conveyToPartyId: 'A' }, 'SHUTTLE_TARGET_INVALID'],
    ['a party of another session', { label: 'conveyable' as const, conveyToPartyId: 'Z' }, 'SHUTTLE_TARGET_INVALID'],
    ['no party', { label: 'conveyable' as const }, 'VALIDATION_FAILED'],
    ['a party on a mediator-only message', { label: 'mediator_only' as const, conveyToPartyId: 'B' }, 'VALIDATION_FAILED'],
  ])('refuses %s', (_n, input, code) => {
    expect(codeOf(() => decideSubmission(member, input, ['A', 'B'], 0, now))).toBe(code);
  });
  it.each(['lead_mediator', 'co_mediator', 'observer'] as const)('is for party members only, not a %s', (role) => {
    expect(codeOf(() => decideSubmission(aParticipant(role), { label: 'mediator_only' }, ['A', 'B'], 0, now))).toBe('SHUTTLE_PARTY_ONLY');
  });
});

describe('decideWithdrawal and release', () => {
  it('lets the author withdraw while cooling, nobody else, never after', () => {
    expect(codeOf(() => decideWithdrawal(member, aMessage({ status: 'cooling' })))).toBe('allow');
    expect(codeOf(() => decideWithdrawal(aParticipant('party_member', { partyId: 'A' }), aMessage({ status: 'cooling' })))).toBe(
      'SHUTTLE_NOT_AUTHOR',
    );
    expect(codeOf(() => decideWithdrawal(member, aMessage({ status: 'pending' })))).toBe('SHUTTLE_NOT_COOLING');
  });
  it('releases when the period is over', () => {
    expect(isDueForRelease({ status: 'cooling', releaseAt: now }, now)).toBe(true);
    expect(isDueForRelease({ status: 'cooling', releaseAt: new Date(now.getTime() + 1) }, now)).toBe(false);
    expect(isDueForRelease({ status: 'withdrawn', releaseAt: now }, now)).toBe(false);
  });
});

describe('decideOnMessage', () => {
  it('conveys verbatim the exact words', () => {
    expect(decideOnMessage(mediator, aMessage(), { kind: 'convey', mode: 'verbatim' })).toEqual({
      status: 'conveyed',
      conveyedText: 'We accept the line',
      conveyMode: 'verbatim',
      declineReason: null,
    });
  });
  it('conveys an edited wording, and refuses verbatim with new words', () => {
    expect(decideOnMessage(mediator, aMessage(), { kind: 'convey', mode: 'edited', text: 'We could accept the line' }).conveyedText).toBe(
      'We could accept the line',
    );
    expect(codeOf(() => decideOnMessage(mediator, aMessage(), { kind: 'convey', mode: 'verbatim', text: 'Other' }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(codeOf(() => decideOnMessage(mediator, aMessage(), { kind: 'convey', mode: 'edited' }))).toBe('VALIDATION_FAILED');
  });
  it("conveys as the mediator's suggestion, in the original words if none given", () => {
    expect(decideOnMessage(mediator, aMessage(), { kind: 'convey', mode: 'as_mediator' })).toMatchObject({
      conveyedText: 'We accept the line',
      conveyMode: 'as_mediator',
    });
  });
  it('never conveys a mediator-only message', () => {
    expect(
      codeOf(() =>
        decideOnMessage(mediator, aMessage({ label: 'mediator_only', conveyToPartyId: null }), {
          kind: 'convey',
          mode: 'as_mediator',
          text: 'x',
        }),
      ),
    ).toBe('SHUTTLE_NOT_CONVEYABLE');
  });
  it('holds a pending message once, then conveys or declines it', () => {
    expect(decideOnMessage(mediator, aMessage(), { kind: 'hold' }).status).toBe('held');
    expect(codeOf(() => decideOnMessage(mediator, aMessage({ status: 'held' }), { kind: 'hold' }))).toBe('SHUTTLE_ALREADY_DECIDED');
    expect(decideOnMessage(mediator, aMessage({ status: 'held' }), { kind: 'decline', reason: 'Not now' })).toMatchObject({
      status: 'declined',
      declineReason: 'Not now',
    });
  });
  it.each(['conveyed', 'declined', 'withdrawn'] as const)('refuses to decide a %s message again', (status) => {
    expect(codeOf(() => decideOnMessage(mediator, aMessage({ status }), { kind: 'hold' }))).toBe('SHUTTLE_ALREADY_DECIDED');
  });
  it('waits for the cooling-off period', () => {
    expect(codeOf(() => decideOnMessage(mediator, aMessage({ status: 'cooling' }), { kind: 'hold' }))).toBe('SHUTTLE_COOLING');
  });
  it('is for mediators only', () => {
    expect(codeOf(() => decideOnMessage(member, aMessage(), { kind: 'hold' }))).toBe('MEDIATOR_ONLY');
  });
});

describe('maySeeMessage', () => {
  it.each([
    ['its delegation, cooling', member, 'cooling', true],
    ['its delegation, decided', member, 'declined', true],
    ['the other party', aParticipant('party_member', { partyId: 'B' }), 'conveyed', false],
    ['a mediator, once queued', mediator, 'held', true],
    ['a mediator, while cooling', mediator, 'cooling', false],
    ['a mediator, withdrawn while cooling', mediator, 'withdrawn', false],
    ['an observer', aParticipant('observer'), 'conveyed', false],
  ] as const)('%s: %s', (_n, actor, status, expected) => {
    expect(maySeeMessage(actor, { partyId: 'A', status })).toBe(expected);
  });
});

describe('wordDiff', () => {
  it('marks deleted and inserted words, and rebuilds both texts', () => {
    const sut = wordDiff('Your absurd demand is rejected', 'Your demand cannot be accepted');
    expect(
      sut
        .filter((s) => s.op !== 'insert')
        .map((s) => s.text)
        .join(''),
    ).toBe('Your absurd demand is rejected');
    expect(
      sut
        .filter((s) => s.op !== 'delete')
        .map((s) => s.text)
        .join(''),
    ).toBe('Your demand cannot be accepted');
    expect(sut).toEqual(expect.arrayContaining([{ op: 'delete', text: expect.stringContaining('absurd') }]));
  });
});
