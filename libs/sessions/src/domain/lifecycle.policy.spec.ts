import { SESSION_STATUSES } from '@parley/contracts';
import { DomainError } from '@parley/platform/domain';
import { STATUS_TRANSITIONS, assertStatusAllows, assertTransition, statusAllows } from './lifecycle.policy';
import { assertMayChangeRole, assertMayConfigure, assertJointMembers } from './authority.policy';
import { aParticipant } from './testing.factories';

const allowedPairs = new Set(['draft>open', 'draft>closed', 'open>suspended', 'open>closed', 'suspended>open', 'suspended>closed']);
const pairs = SESSION_STATUSES.flatMap((from) => SESSION_STATUSES.map((to) => [from, to] as const));

describe('status lifecycle', () => {
  it.each(pairs)('%s → %s', (from, to) => {
    const sut = () => assertTransition(from, to);
    if (allowedPairs.has(`${from}>${to}`)) expect(sut).not.toThrow();
    else expect(sut).toThrow(expect.objectContaining({ code: 'STATUS_TRANSITION_INVALID', field: 'status' }));
  });

  it('lists the allowed transitions in the error', () => {
    expect(() => assertTransition('closed', 'open')).toThrow(expect.objectContaining({ details: { from: 'closed', to: 'open', allowed: [] } }) as DomainError);
  });

  it('keeps closed terminal', () => {
    expect(STATUS_TRANSITIONS.closed).toEqual([]);
  });

  it.each([
    ['draft', 'configure', true], ['draft', 'connect', true], ['draft', 'seatParties', false],
    ['open', 'configure', true], ['open', 'connect', true], ['open', 'seatParties', true],
    ['suspended', 'configure', true], ['suspended', 'connect', true], ['suspended', 'seatParties', false],
    ['closed', 'configure', false], ['closed', 'connect', false], ['closed', 'seatParties', false],
  ] as const)('%s allows %s: %s', (status, capability, expected) => {
    expect(statusAllows(status, capability)).toBe(expected);
  });

  it('says closed for a closed session and not-open otherwise', () => {
    expect(() => assertStatusAllows('closed', 'connect')).toThrow(expect.objectContaining({ code: 'SESSION_CLOSED' }));
    expect(() => assertStatusAllows('draft', 'seatParties')).toThrow(expect.objectContaining({ code: 'SESSION_NOT_OPEN' }));
  });
});

describe('authority', () => {
  const lead = aParticipant('lead_mediator');
  const co = aParticipant('co_mediator');
  const member = aParticipant('party_member');

  it('lets mediators configure until the session closes', () => {
    expect(() => assertMayConfigure(co, 'suspended')).not.toThrow();
    expect(() => assertMayConfigure(co, 'closed')).toThrow(expect.objectContaining({ code: 'SESSION_CLOSED' }));
    expect(() => assertMayConfigure(member, 'open')).toThrow(expect.objectContaining({ code: 'MEDIATOR_ONLY' }));
  });

  it('lets only the lead change roles, never the lead role itself', () => {
    expect(() => assertMayChangeRole(lead, member, 'observer', 'open')).not.toThrow();
    expect(() => assertMayChangeRole(co, member, 'observer', 'open')).toThrow(expect.objectContaining({ code: 'LEAD_MEDIATOR_ONLY' }));
    expect(() => assertMayChangeRole(lead, lead, 'co_mediator', 'open')).toThrow(expect.objectContaining({ code: 'LEAD_MEDIATOR_IMMUTABLE' }));
    expect(() => assertMayChangeRole(lead, co, 'lead_mediator', 'open')).toThrow(expect.objectContaining({ code: 'LEAD_MEDIATOR_IMMUTABLE' }));
  });

  it('names only party members in a joint room', () => {
    expect(() => assertJointMembers([member, aParticipant('party_member', { partyId: 'B' })])).not.toThrow();
    expect(() => assertJointMembers([member, aParticipant('observer')])).toThrow(expect.objectContaining({ code: 'JOINT_MEMBER_INVALID', field: 'memberIds' }));
    expect(() => assertJointMembers([co])).toThrow(expect.objectContaining({ code: 'JOINT_MEMBER_INVALID' }));
  });
});
