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
});
