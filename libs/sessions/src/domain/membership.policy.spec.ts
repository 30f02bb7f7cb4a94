import { entryDenial, visibleRooms } from './membership.policy';
import { aParticipant, aRoom } from './testing.factories';

describe('membership', () => {
  const plenary = aRoom('plenary');
  const caucusA = aRoom('caucus', { partyId: 'A' });
  const caucusB = aRoom('caucus', { partyId: 'B' });
  const mediatorRoom = aRoom('mediator');
  const a = aParticipant('party_member', { partyId: 'A' });
  const joint = aRoom('joint', { memberIds: [a.id] });
  const closedJoint = aRoom('joint', { memberIds: [a.id], closed: true });
  const all = [plenary, caucusA, caucusB, mediatorRoom, joint, closedJoint];

  it('shows a party member the plenary, their caucus and the joint rooms naming them', () => {
    expect(visibleRooms(a, all)).toEqual([plenary, caucusA, joint]);
  });
  it('shows an observer the plenary only', () => {
    expect(visibleRooms(aParticipant('observer'), all)).toEqual([plenary]);
  });
  it('shows a mediator every open room', () => {
    expect(visibleRooms(aParticipant('co_mediator'), all)).toEqual([plenary, caucusA, caucusB, mediatorRoom, joint]);
  });
  it('does not let the head of delegation into the other caucus either', () => {
    expect(entryDenial(aParticipant('party_member', { partyId: 'A', isHead: true }), caucusB)?.code).toBe('CAUCUS_FORBIDDEN');
  });
  it('does not let a party member without a party into any caucus', () => {
    expect(entryDenial(aParticipant('party_member', { partyId: null }), caucusA)?.code).toBe('CAUCUS_FORBIDDEN');
  });

  describe('an interpreter', () => {
    const northInterpreter = aParticipant('interpreter', { broughtByPartyId: 'A' });
    const mediatorsInterpreter = aParticipant('interpreter', { broughtByPartyId: null });
    const namingThem = aRoom('joint', { memberIds: [northInterpreter.id, mediatorsInterpreter.id] });

    it("brought by a party sees the plenary and that party's caucus, never another's nor the mediator room", () => {
      expect(visibleRooms(northInterpreter, all)).toEqual([plenary, caucusA]);
      expect(entryDenial(northInterpreter, caucusB)?.code).toBe('CAUCUS_FORBIDDEN');
      expect(entryDenial(northInterpreter, mediatorRoom)?.code).toBe('MEDIATOR_ROOM_FORBIDDEN');
    });
    it('of the mediators sees the plenary only: no caucus is theirs', () => {
      expect(visibleRooms(mediatorsInterpreter, all)).toEqual([plenary]);
      expect(entryDenial(mediatorsInterpreter, caucusA)?.code).toBe('CAUCUS_FORBIDDEN');
    });
    it('enters a joint room only when it names them', () => {
      expect(entryDenial(northInterpreter, joint)?.code).toBe('JOINT_ROOM_FORBIDDEN');
      expect(entryDenial(northInterpreter, namingThem)).toBeNull();
      expect(entryDenial(mediatorsInterpreter, namingThem)).toBeNull();
    });
    it('is no delegation member: partyId stays null, so no caucus opens through it', () => {
      expect(northInterpreter.partyId).toBeNull();
      expect(entryDenial(aParticipant('interpreter', { partyId: 'B', broughtByPartyId: 'A' }), caucusB)?.code).toBe('CAUCUS_FORBIDDEN');
    });
  });
});
