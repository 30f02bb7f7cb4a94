import { DomainError } from '@parley/platform/domain';
import type { ErrorCode } from '@parley/contracts';
import {
  ACTORS,
  ROOMS,
  ROOM_TABLE,
  SESSION_TABLE,
  type Actor,
  type Outcome,
  type RoomSlot,
} from '../../../../test/support/permission-table';
import { aParticipant, aRoom } from './testing.factories';
import { decidePlacement } from './placement.policy';
import { assertJointMembers, assertMayChangeStatus, assertMayConfigure, assertMayInvite, assertMediator } from './authority.policy';
import { assertMayMove, decideBulkPlacement } from './bulk-placement.policy';
import type { LocatedParticipant, Room } from './model';

/** The permission table, replayed against the pure rules (no Nest, no database). */
const lead = aParticipant('lead_mediator');
const target = aParticipant('co_mediator', { roomId: null });

const inSession: Partial<Record<Actor, LocatedParticipant>> = {
  leadMediator: lead,
  coMediator: aParticipant('co_mediator'),
  partyAMember: aParticipant('party_member', { partyId: 'A' }),
  partyAHead: aParticipant('party_member', { partyId: 'A', isHead: true }),
  partyBMember: aParticipant('party_member', { partyId: 'B' }),
  observer: aParticipant('observer'),
  partyAInterpreter: aParticipant('interpreter', { broughtByPartyId: 'A' }),
  mediatorsInterpreter: aParticipant('interpreter', { broughtByPartyId: null }),
};

function roomFor(slot: RoomSlot, actor: LocatedParticipant): Room {
  switch (slot) {
    case 'plenary':
      return aRoom('plenary');
    case 'caucusA':
      return aRoom('caucus', { partyId: 'A' });
    case 'caucusB':
      return aRoom('caucus', { partyId: 'B' });
    case 'mediatorRoom':
      return aRoom('mediator');
    case 'jointWithActor':
      return aRoom('joint', { memberIds: [actor.id] });
    case 'jointWithoutActor':
      return aRoom('joint', { memberIds: ['someone-else'] });
  }
}

function outcome(run: () => unknown): Outcome {
  try {
    run();
    return 'allow';
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
}

const cases = ACTORS.filter((a) => inSession[a]).flatMap((a) => ROOMS.map((r) => [a, r] as const));

describe('permission table × domain rules', () => {
  describe.each(cases)('%s / %s', (actorName, slot) => {
    const actor = inSession[actorName]!;

    it('join: being admitted by the lead mediator', () => {
      const expected = ROOM_TABLE.join[actorName][slot];
      const sut = () => {
        if (slot === 'jointWithActor')
          assertJointMembers(actor.role === 'party_member' || actor.role === 'observer' || actor.role === 'interpreter' ? [actor] : []);
        return decidePlacement({
          kind: 'admit',
          actor: lead,
          target: { ...actor, roomId: null },
          room: roomFor(slot, actor),
          status: 'open',
        });
      };
      expect(outcome(sut)).toBe(expected);
    });

    it('enterSelf', () => {
      const sut = () => decidePlacement({ kind: 'move', actor, target: actor, room: roomFor(slot, actor), status: 'open' });
      expect(outcome(sut)).toBe(ROOM_TABLE.enterSelf[actorName][slot]);
    });

    it('moveOthers', () => {
      const sut = () =>
        decidePlacement({ kind: 'move', actor, target: { ...target, roomId: 'somewhere' }, room: roomFor(slot, actor), status: 'open' });
      expect(outcome(sut)).toBe(ROOM_TABLE.moveOthers[actorName][slot]);
    });

    it('admit', () => {
      const sut = () => decidePlacement({ kind: 'admit', actor, target, room: roomFor(slot, actor), status: 'open' });
      expect(outcome(sut)).toBe(ROOM_TABLE.admit[actorName][slot]);
    });

    it('moveOthersBulk', () => {
      const sut = () => {
        const verdict = decideBulkPlacement(actor, [{ target: { ...target, roomId: 'somewhere' }, room: roomFor(slot, actor) }], 'open');
        if (verdict.refused.length) throw new DomainError(verdict.refused[0].code, verdict.refused[0].message);
      };
      expect(outcome(sut)).toBe(ROOM_TABLE.moveOthersBulk[actorName][slot]);
    });
  });

  describe.each(ACTORS.filter((a) => inSession[a]))('%s session actions', (actorName) => {
    const actor = inSession[actorName]!;
    it.each([
      ['inviteParty', () => assertMayInvite(actor, 'party_member', 'open')],
      ['inviteCoMediator', () => assertMayInvite(actor, 'co_mediator', 'open')],
      ['suspend', () => assertMayChangeStatus(actor, 'open', 'suspended')],
      ['close', () => assertMayChangeStatus(actor, 'open', 'closed')],
      ['gatherCaucuses', () => assertMayMove(actor)],
      ['gatherPlenary', () => assertMayMove(actor)],
      ['listInvitations', () => assertMediator(actor)],
      ['revokeInvitation', () => assertMayConfigure(actor, 'open')],
      ['reissueInvitation', () => assertMayConfigure(actor, 'open')],
    ] as const)('%s', (action, run) => {
      expect(outcome(run)).toBe(SESSION_TABLE[action][actorName]);
    });
  });
});

describe('the table itself', () => {
  it('lets nobody but mediators into the mediator room', () => {
    const allowed = ACTORS.filter((a) => ROOM_TABLE.join[a].mediatorRoom === 'allow');
    expect(allowed).toEqual(['leadMediator', 'coMediator']);
  });
  it('keeps observers to the plenary', () => {
    const codes = ROOMS.map((r) => ROOM_TABLE.join.observer[r]);
    expect(codes.filter((c) => c === 'allow')).toHaveLength(1);
  });
  it('denies with a code that exists', () => {
    const codes = new Set<ErrorCode | 'allow'>(Object.values(ROOM_TABLE).flatMap((t) => Object.values(t).flatMap((r) => Object.values(r))));
    expect(codes.has('allow')).toBe(true);
  });
});
