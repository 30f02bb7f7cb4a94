import type { AgreementView, RoomEvent, RoomView, SessionView, ShuttleMessageView } from '@parley/contracts';
import { initialState, reduce, type SessionState } from './session-state';

const plenary: RoomView = { id: 'r-plenary', kind: 'plenary', name: 'Plenary', partyId: null, memberIds: [] };
const caucus: RoomView = { id: 'r-caucus-a', kind: 'caucus', name: 'North', partyId: 'p-a', memberIds: [] };

function aSession(overrides: Partial<SessionView> = {}): SessionView {
  return {
    id: 's-1', title: 'Harbour', description: '', status: 'open', coolingOffSeconds: 0, createdAt: '2026-11-28T10:00:00.000Z',
    parties: [{ id: 'p-a', name: 'North', caucusRoomId: caucus.id }, { id: 'p-b', name: 'South', caucusRoomId: null }],
    rooms: [plenary, caucus],
    me: { id: 'me', userId: 'u-me', displayName: 'Ana', role: 'party_member', partyId: 'p-a', isHead: true, roomId: null },
    ...overrides,
  };
}

const chat = (roomId: string, seq: number, text = `m${seq}`): RoomEvent => ({
  sessionId: 's-1', roomId, seq, createdAt: '2026-11-28T10:00:00.000Z', type: 'chat.message',
  payload: { id: `c${seq}`, text, authorParticipantId: 'x', authorName: 'X', authorRole: 'party_member', clientMessageId: `k${seq}` },
});

const shuttle = (status: ShuttleMessageView['status'], updatedAt: string): ShuttleMessageView => ({
  id: 'sh-1', sessionId: 's-1', partyId: 'p-a', authorParticipantId: 'me', authorName: 'Ana', label: 'conveyable', conveyToPartyId: 'p-b',
  text: 'We could accept a 10-year lease.', status, releaseAt: updatedAt, createdAt: '2026-11-28T10:00:00.000Z', updatedAt,
  conveyedText: null, conveyMode: null, diff: null, declineReason: null, clientMessageId: 'k-1',
});

const agreement = (revision: number): AgreementView => ({ sessionId: 's-1', status: 'drafting', revision, clauses: [], finalSha256: null, finalisedAt: null, signOffs: [] });

const run = (s: SessionState, ...actions: Parameters<typeof reduce>[1][]) => actions.reduce(reduce, s);

describe('session state', () => {
  let sut: SessionState;
  beforeEach(() => { sut = initialState(aSession()); });

  describe('location', () => {
    it('follows my own moves, lobby included', () => {
      const moved = run(sut, { type: 'location', e: { sessionId: 's-1', participantId: 'me', room: caucus, reason: 'admitted' } });
      expect(moved.me.roomId).toBe(caucus.id);
      const back = reduce(moved, { type: 'location', e: { sessionId: 's-1', participantId: 'me', room: null, reason: 'sent_to_lobby' } });
      expect(back.me.roomId).toBeNull();
    });

    it('ignores other people\'s moves (the same object comes back)', () => {
      expect(reduce(sut, { type: 'location', e: { sessionId: 's-1', participantId: 'other', room: plenary, reason: 'moved' } })).toBe(sut);
    });

    it('learns a room it did not know (a joint room it was named in)', () => {
      const joint: RoomView = { id: 'r-joint', kind: 'joint', name: 'Heads', partyId: null, memberIds: ['me'] };
      const s = reduce(sut, { type: 'location', e: { sessionId: 's-1', participantId: 'me', room: joint, reason: 'moved' } });
      expect(s.session.rooms.map((r) => r.id)).toEqual([plenary.id, caucus.id, joint.id]);
    });
  });

  describe('room streams', () => {
    it('keeps each seq once, in order, whatever order live events and history arrive in', () => {
      const s = run(sut,
        { type: 'history', h: { roomId: plenary.id, events: [chat(plenary.id, 3), chat(plenary.id, 2), chat(plenary.id, 1)], lastSeq: 3, more: false } },
        { type: 'room.event', e: chat(plenary.id, 3) },
        { type: 'room.event', e: chat(plenary.id, 4) },
        { type: 'history', h: { roomId: plenary.id, events: [chat(plenary.id, 4)], lastSeq: 4, more: false } });
      expect(s.streams[plenary.id].map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      expect(s.gaps).toEqual([]);
    });

    it('marks a gap when a live event skips a seq, and clears it once history fills the hole', () => {
      const s1 = run(sut, { type: 'history', h: { roomId: plenary.id, events: [chat(plenary.id, 1)], lastSeq: 1, more: false } },
        { type: 'room.event', e: chat(plenary.id, 3) });
      expect(s1.gaps).toEqual([plenary.id]);
      const s2 = reduce(s1, { type: 'history', h: { roomId: plenary.id, events: [chat(plenary.id, 2), chat(plenary.id, 3)], lastSeq: 3, more: false } });
      expect(s2.gaps).toEqual([]);
      expect(s2.streams[plenary.id].map((e) => e.seq)).toEqual([1, 2, 3]);
    });

    it('does not call an unread room a gap: its history is read in full when opened', () => {
      expect(reduce(sut, { type: 'room.event', e: chat(caucus.id, 9) }).gaps).toEqual([]);
    });

    it('an empty history still records that the room was read', () => {
      expect(reduce(sut, { type: 'history', h: { roomId: caucus.id, events: [], lastSeq: 0, more: false } }).streams[caucus.id]).toEqual([]);
    });
  });

  describe('shuttle messages', () => {
    it('a later state replaces an earlier one, never the reverse', () => {
      const s = run(sut,
        { type: 'shuttle', messages: [shuttle('pending', '2026-11-28T10:00:02.000Z')] },
        { type: 'shuttle', messages: [shuttle('conveyed', '2026-11-28T10:00:05.000Z')] },
        { type: 'shuttle', messages: [shuttle('pending', '2026-11-28T10:00:02.000Z')] });
      expect(s.shuttle['sh-1'].status).toBe('conveyed');
    });

    it('reads shuttle states carried in the caucus stream too', () => {
      const e: RoomEvent = { sessionId: 's-1', roomId: caucus.id, seq: 1, createdAt: '2026-11-28T10:00:00.000Z', type: 'shuttle.message', payload: shuttle('held', '2026-11-28T10:00:09.000Z') };
      expect(reduce(sut, { type: 'room.event', e }).shuttle['sh-1'].status).toBe('held');
    });
  });

  describe('agreement', () => {
    it('keeps the highest revision when texts cross on the wire', () => {
      const s = run(sut, { type: 'agreement', view: agreement(5) }, { type: 'agreement', view: agreement(4) });
      expect(s.agreement!.revision).toBe(5);
      expect(reduce(s, { type: 'agreement', view: agreement(6) }).agreement!.revision).toBe(6);
    });

    it('upserts proposals by id', () => {
      const p = { id: 'pr-1', status: 'open' } as never;
      const adopted = { id: 'pr-1', status: 'adopted' } as never;
      const s = run(sut, { type: 'proposals', proposals: [p] }, { type: 'proposals', proposals: [adopted] });
      expect(Object.values(s.proposals)).toEqual([adopted]);
    });
  });

  it('status and overview replace what was there', () => {
    const overview = { sessionId: 's-1', lobby: [], rooms: [] };
    const s = run(sut, { type: 'status', status: 'suspended' }, { type: 'overview', e: overview });
    expect(s.status).toBe('suspended');
    expect(s.overview).toBe(overview);
  });
});
