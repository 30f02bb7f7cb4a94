import { caucusMoves, decideBulkPlacement, defaultMoveTarget, plenaryMoves } from './bulk-placement.policy';
import { aParticipant, aRoom, codeOf } from './testing.factories';

describe('bulk placement', () => {
  const lead = aParticipant('lead_mediator');
  const plenary = aRoom('plenary');
  const mediators = aRoom('mediator');
  const caucusA = aRoom('caucus', { partyId: 'A' });
  const caucusB = aRoom('caucus', { partyId: 'B' });
  const rooms = [plenary, mediators, caucusA, caucusB];
  const a1 = aParticipant('party_member', { partyId: 'A', roomId: plenary.id, isHead: true });
  const a2 = aParticipant('party_member', { partyId: 'A', roomId: plenary.id });
  const b1 = aParticipant('party_member', { partyId: 'B', roomId: plenary.id });
  const waiting = aParticipant('party_member', { partyId: 'B', roomId: null });
  const obs = aParticipant('observer', { roomId: plenary.id });
  const co = aParticipant('co_mediator', { roomId: mediators.id });

  describe('decideBulkPlacement', () => {
    it('decides every move by the rule of a single move', () => {
      const sut = decideBulkPlacement(
        lead,
        [
          { target: a1, room: caucusA },
          { target: waiting, room: caucusB },
        ],
        'open',
      );
      expect(sut.refused).toEqual([]);
      expect(sut.decisions).toEqual([
        { type: 'participant.moved', participantId: a1.id, fromRoomId: plenary.id, toRoomId: caucusA.id },
        { type: 'participant.admitted', participantId: waiting.id, fromRoomId: null, toRoomId: caucusB.id },
      ]);
    });

    it('lists every refused move with its code, so that the caller applies none', () => {
      const sut = decideBulkPlacement(
        lead,
        [
          { target: a1, room: caucusA },
          { target: b1, room: caucusA },
          { target: obs, room: caucusA },
          { target: a2, room: mediators },
        ],
        'open',
      );
      expect(sut.refused.map((r) => [r.participantId, r.code])).toEqual([
        [b1.id, 'CAUCUS_FORBIDDEN'],
        [obs.id, 'OBSERVER_PLENARY_ONLY'],
        [a2.id, 'MEDIATOR_ROOM_FORBIDDEN'],
      ]);
    });

    it('leaves those already there unchanged', () => {
      const sut = decideBulkPlacement(lead, [{ target: obs, room: plenary }], 'open');
      expect(sut).toEqual({ decisions: [], unchanged: [obs.id], refused: [] });
    });

    it('refuses a non-mediator outright, and the same person twice', () => {
      expect(codeOf(() => decideBulkPlacement(a1, [{ target: a1, room: caucusA }], 'open'))).toBe('MOVE_FORBIDDEN');
      expect(
        codeOf(() =>
          decideBulkPlacement(
            lead,
            [
              { target: a1, room: caucusA },
              { target: a1, room: plenary },
            ],
            'open',
          ),
        ),
      ).toBe('VALIDATION_FAILED');
    });

    it('refuses party members while the session is suspended, but moves mediators', () => {
      const sut = decideBulkPlacement(
        lead,
        [
          { target: co, room: plenary },
          { target: a1, room: caucusA },
        ],
        'suspended',
      );
      expect(sut.decisions.map((d) => d.participantId)).toEqual([co.id]);
      expect(sut.refused.map((r) => r.code)).toEqual(['SESSION_NOT_OPEN']);
    });
  });

  it('caucusMoves sends each seated party member to their own caucus, never the lobby or others', () => {
    const moves = caucusMoves([lead, a1, a2, b1, waiting, obs, co, { ...a1, id: 'in-caucus', roomId: caucusA.id }], rooms);
    expect(moves.map((m) => [m.target.id, m.room.id])).toEqual([
      [a1.id, caucusA.id],
      [a2.id, caucusA.id],
      [b1.id, caucusB.id],
    ]);
  });

  it("caucusMoves takes a party's interpreter with its delegation, and leaves the mediators' interpreter where they are", () => {
    const northInterpreter = aParticipant('interpreter', { broughtByPartyId: 'A', roomId: plenary.id });
    const mediatorsInterpreter = aParticipant('interpreter', { broughtByPartyId: null, roomId: plenary.id });
    const moves = caucusMoves([a1, northInterpreter, mediatorsInterpreter], rooms);
    expect(moves.map((m) => [m.target.id, m.room.id])).toEqual([
      [a1.id, caucusA.id],
      [northInterpreter.id, caucusA.id],
    ]);
  });

  it('plenaryMoves brings every seated participant elsewhere back, mediators included', () => {
    const inCaucus = { ...b1, roomId: caucusB.id };
    const moves = plenaryMoves([{ ...lead, roomId: caucusA.id }, a1, inCaucus, waiting, obs, co], rooms);
    expect(moves.map((m) => m.target.id)).toEqual([lead.id, inCaucus.id, co.id]);
    expect(moves.every((m) => m.room.id === plenary.id)).toBe(true);
  });

  describe('defaultMoveTarget', () => {
    it('starts on the last room when the person may enter it', () => {
      expect(defaultMoveTarget(a1, rooms, caucusA.id, plenary.id)?.id).toBe(caucusA.id);
    });
    it('else on the plenary, never another party’s caucus', () => {
      expect(defaultMoveTarget(b1, rooms, caucusA.id, null)?.id).toBe(plenary.id);
      expect(defaultMoveTarget(b1, rooms, null, null)?.id).toBe(plenary.id);
    });
    it('from the plenary with no last room: the first room they may enter', () => {
      expect(defaultMoveTarget(a1, rooms, null, plenary.id)?.id).toBe(caucusA.id);
      expect(defaultMoveTarget(obs, rooms, null, plenary.id)).toBeNull();
    });
  });
});
