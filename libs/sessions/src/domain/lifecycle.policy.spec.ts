import { SESSION_STATUSES } from '@parley/contracts';
import { DomainError } from '@parley/platform/domain';
import { STATUSES, STATUS_ROWS, STATUS_TABLE, type StatusRow } from '../../../../test/support/permission-table';
import {
  STATUS_ACTIONS,
  STATUS_TRANSITIONS,
  assertStatusAllows,
  assertTransition,
  statusAllows,
  statusesAllowing,
  type StatusAction,
} from './lifecycle.policy';
import { assertMayChangeRole, assertMayConfigure, assertJointMembers } from './authority.policy';
import { aParticipant, codeOf } from './testing.factories';

const allowedPairs = new Set(['draft>open', 'draft>closed', 'open>suspended', 'open>closed', 'suspended>open', 'suspended>closed']);
const pairs = SESSION_STATUSES.flatMap((from) => SESSION_STATUSES.map((to) => [from, to] as const));

describe('status lifecycle', () => {
  it.each(pairs)('%s → %s', (from, to) => {
    const sut = () => assertTransition(from, to);
    if (allowedPairs.has(`${from}>${to}`)) expect(sut).not.toThrow();
    else expect(sut).toThrow(expect.objectContaining({ code: 'STATUS_TRANSITION_INVALID', field: 'status' }));
  });

  it('lists the allowed transitions in the error', () => {
    expect(() => assertTransition('closed', 'open')).toThrow(
      expect.objectContaining({ details: { from: 'closed', to: 'open', allowed: [] } }) as DomainError,
    );
  });

  it('keeps closed terminal', () => {
    expect(STATUS_TRANSITIONS.closed).toEqual([]);
  });

  it('says closed for a closed session and not-open otherwise', () => {
    expect(() => assertStatusAllows('closed', 'connect')).toThrow(expect.objectContaining({ code: 'SESSION_CLOSED' }));
    expect(() => assertStatusAllows('draft', 'seatParties')).toThrow(expect.objectContaining({ code: 'SESSION_NOT_OPEN' }));
  });
});

/** The status rules of test/support/permission-table.ts, replayed against the lifecycle table. */
describe('status table', () => {
  // The table's rows name what a person does; the lifecycle table decides by kind of act.
  const decidedAs: Record<StatusRow, StatusAction> = {
    configure: 'configure',
    connect: 'connect',
    seatParties: 'seatParties',
    mediatorPost: 'mediatorPost',
    partyPost: 'partyPost',
    shuttleSubmit: 'shuttleSubmit',
    shuttleWithdraw: 'shuttleWithdraw',
    shuttleConvey: 'shuttleDecide',
    shuttleConveyEdited: 'shuttleDecide',
    shuttleConveyAsMediator: 'shuttleDecide',
    shuttleHold: 'shuttleDecide',
    shuttleDecline: 'shuttleDecide',
    shuttleRelease: 'shuttleRelease',
  };
  const cases = STATUS_ROWS.flatMap((row) => STATUSES.map((status) => [row, status, STATUS_TABLE[row][status]] as const));

  it.each(cases)('%s in a %s session: %s', (row, status, expected) => {
    expect(codeOf(() => assertStatusAllows(status, decidedAs[row]))).toBe(expected);
  });

  it('has a row for every action the lifecycle table decides', () => {
    expect([...new Set(Object.values(decidedAs))].sort()).toEqual([...STATUS_ACTIONS].sort());
  });

  it('lets nothing happen in a closed session', () => {
    expect(STATUS_ACTIONS.filter((a) => statusAllows('closed', a))).toEqual([]);
  });

  it('names the statuses that allow an action (the scheduler releases in these only)', () => {
    expect(statusesAllowing('shuttleRelease')).toEqual(['draft', 'open', 'suspended']);
    expect(statusesAllowing('shuttleWithdraw')).toEqual(['open', 'suspended']);
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
    expect(() => assertMayChangeRole(lead, lead, 'co_mediator', 'open')).toThrow(
      expect.objectContaining({ code: 'LEAD_MEDIATOR_IMMUTABLE' }),
    );
    expect(() => assertMayChangeRole(lead, co, 'lead_mediator', 'open')).toThrow(
      expect.objectContaining({ code: 'LEAD_MEDIATOR_IMMUTABLE' }),
    );
  });

  it('refuses a role change into or out of interpreter', () => {
    const interpreter = aParticipant('interpreter', { broughtByPartyId: 'A' });
    expect(() => assertMayChangeRole(lead, member, 'interpreter', 'open')).toThrow(
      expect.objectContaining({ code: 'ROLE_CHANGE_REFUSED', field: 'role' }),
    );
    expect(() => assertMayChangeRole(lead, interpreter, 'observer', 'open')).toThrow(
      expect.objectContaining({ code: 'ROLE_CHANGE_REFUSED', field: 'role' }),
    );
    // Who may change roles at all is said first.
    expect(() => assertMayChangeRole(co, interpreter, 'observer', 'open')).toThrow(expect.objectContaining({ code: 'LEAD_MEDIATOR_ONLY' }));
  });

  it('names only party members and interpreters in a joint room', () => {
    expect(() => assertJointMembers([member, aParticipant('party_member', { partyId: 'B' })])).not.toThrow();
    expect(() => assertJointMembers([member, aParticipant('interpreter')])).not.toThrow();
    expect(() => assertJointMembers([member, aParticipant('observer')])).toThrow(
      expect.objectContaining({ code: 'JOINT_MEMBER_INVALID', field: 'memberIds' }),
    );
    expect(() => assertJointMembers([co])).toThrow(expect.objectContaining({ code: 'JOINT_MEMBER_INVALID' }));
  });
});
