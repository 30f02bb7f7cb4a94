import { aParticipant, codeOf, aRoom } from '@parley/sessions/domain/testing.factories';
import { STATUSES, STATUS_TABLE } from '../../../../test/support/permission-table';
import { assertMayPost, assertMayRead } from './chat.policy';
import { MAX_MESSAGE_LENGTH, normaliseText, textHash } from './message-text';

describe('posting', () => {
  const plenary = aRoom('plenary');
  const caucusA = aRoom('caucus', { partyId: 'A' });
  const member = aParticipant('party_member', { partyId: 'A', roomId: caucusA.id });
  const mediator = aParticipant('lead_mediator', { roomId: null });

  it('lets a member post where they are', () => {
    expect(codeOf(() => assertMayPost(member, caucusA, 'open'))).toBe('allow');
  });
  it('asks a member to post in the room they are in', () => {
    expect(codeOf(() => assertMayPost(member, plenary, 'open'))).toBe('NOT_IN_ROOM');
  });
  it('never lets a member into another caucus, even to post', () => {
    expect(codeOf(() => assertMayPost({ ...member, partyId: 'B' }, caucusA, 'open'))).toBe('CAUCUS_FORBIDDEN');
  });
  it('lets a mediator post anywhere, even from the lobby, even before opening', () => {
    expect(codeOf(() => assertMayPost(mediator, caucusA, 'open'))).toBe('allow');
    expect(codeOf(() => assertMayPost(mediator, aRoom('mediator'), 'draft'))).toBe('allow');
  });
  it('keeps observers read-only everywhere', () => {
    expect(codeOf(() => assertMayPost(aParticipant('observer', { roomId: plenary.id }), plenary, 'open'))).toBe('OBSERVER_READ_ONLY');
  });
  it.each([
    ['draft', 'SESSION_NOT_OPEN'],
    ['suspended', 'SESSION_NOT_OPEN'],
    ['closed', 'SESSION_CLOSED'],
  ] as const)('silences parties in a %s session', (status, code) => {
    expect(codeOf(() => assertMayPost(member, caucusA, status))).toBe(code);
  });
  it.each(STATUSES)('posts in a %s session as the status table says', (status) => {
    expect(codeOf(() => assertMayPost(member, caucusA, status))).toBe(STATUS_TABLE.partyPost[status]);
    expect(codeOf(() => assertMayPost(mediator, aRoom('mediator'), status))).toBe(STATUS_TABLE.mediatorPost[status]);
  });
  it('refuses a closed room', () => {
    expect(codeOf(() => assertMayPost(mediator, { ...caucusA, closed: true }, 'open'))).toBe('ROOM_CLOSED');
  });
  it('lets whoever may be in a room read it, wherever they are', () => {
    expect(codeOf(() => assertMayRead({ ...member, roomId: plenary.id }, caucusA))).toBe('allow');
    expect(codeOf(() => assertMayRead(aParticipant('observer'), caucusA))).toBe('OBSERVER_PLENARY_ONLY');
  });
});

describe('message text', () => {
  it('trims and normalises', () => {
    expect(normaliseText('  e\u0301te  ')).toBe('\u00e9te');
  });
  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['x'.repeat(MAX_MESSAGE_LENGTH + 1), 'too long'],
  ])('refuses %#: %s', (raw) => {
    expect(codeOf(() => normaliseText(raw))).toBe('VALIDATION_FAILED');
  });
  it('hashes the exact text', () => {
    expect(textHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
