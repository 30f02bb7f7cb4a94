import type { DraftScope, ProposalOrigin, ProposalVisibility, RoomKind, ShuttleLabel } from '@parley/contracts';
import type { Participant, Room } from '@parley/sessions/domain/model';
import { mayReadRoom, roomAudience, type AudienceLine, type Roster } from '@parley/sessions/domain/audience.policy';
import { maySeeMessage, shuttleAudience } from '@parley/shuttle/domain/audience.policy';
import {
  draftAudience,
  mayReadDraft,
  mayViewProposal,
  proposalAudience,
  textAudience,
  textViewFor,
} from '@parley/agreement/domain/audience.policy';
import type { AudienceNote, AudienceSentence } from './audience-sentence';

/**
 * The "who can see this?" table: role × room kind × composer → the sentence the line must say,
 * written from PRODUCT.md's rules (not from the code that computes it). The unit spec checks the
 * domain's lines against it; test/audience-table.e2e-spec.ts makes every author write and checks
 * who received it against the domain's audience.
 *
 * The world: a lead mediator and a co-mediator; North (the authors' party) and South, two members
 * each, heads first; one observer; a joint room naming both heads.
 */
export const ROLES = ['mediator', 'coMediator', 'head', 'member', 'observer'] as const;
export type AuthorRole = (typeof ROLES)[number];

/** Where the author is. "Own" and "other" caucus are North's and South's (for mediators too). */
export const ROOM_KINDS = ['plenary', 'mediators', 'ownCaucus', 'otherCaucus', 'joint'] as const;
export type RoomSlot = (typeof ROOM_KINDS)[number];

export const COMPOSERS = [
  'chat',
  'shuttleMediatorOnly',
  'shuttleConveyable',
  'proposalPrivate',
  'proposalTabled',
  'draftParty',
  'draftMediators',
  'document',
] as const;
export type Composer = (typeof COMPOSERS)[number];

export type PartySlot = 'north' | 'south';

/** The expected sentence, with parties by slot. `null`: the author may not write there. */
export type Expected =
  null | (Omit<AudienceSentence, 'party' | 'wrap'> & { party?: PartySlot; wrap?: { key: AudienceSentence['key']; party?: PartySlot } });

type Line = Exclude<Expected, null>;

/** May the author be in that room at all (else the case does not exist). */
export const CAN_BE_IN: Record<AuthorRole, Record<RoomSlot, boolean>> = {
  mediator: { plenary: true, mediators: true, ownCaucus: true, otherCaucus: true, joint: true },
  coMediator: { plenary: true, mediators: true, ownCaucus: true, otherCaucus: true, joint: true },
  head: { plenary: true, mediators: false, ownCaucus: true, otherCaucus: false, joint: true },
  member: { plenary: true, mediators: false, ownCaucus: true, otherCaucus: false, joint: false },
  observer: { plenary: true, mediators: false, ownCaucus: false, otherCaucus: false, joint: false },
};

const EVERYONE: Line = { key: 'audience.everyoneWith', count: { what: 'observers', n: 1 } };
const OWN: Line = { key: 'audience.ownDelegation' };
const NORTH: Line = { key: 'audience.delegation', party: 'north' };
const SOUTH: Line = { key: 'audience.delegation', party: 'south' };
const JOINT: Line = { key: 'audience.members', count: { what: 'people', n: 2 } };
const MEDIATORS: Line = { key: 'audience.mediators' };
const NEGOTIATORS: Line = { key: 'audience.negotiators' };
const NONE = null;

const isMediatorRole = (r: AuthorRole) => r === 'mediator' || r === 'coMediator';
const isPartyRole = (r: AuthorRole) => r === 'head' || r === 'member';

/** The table, cell by cell (only where the author may be). */
export function expected(role: AuthorRole, room: RoomSlot, composer: Composer): Expected {
  switch (composer) {
    case 'chat': {
      if (role === 'observer') return NONE; // observers are read-only everywhere
      const byRoom: Record<RoomSlot, Expected> = {
        plenary: EVERYONE,
        mediators: MEDIATORS,
        ownCaucus: isMediatorRole(role) ? NORTH : OWN,
        otherCaucus: SOUTH,
        joint: JOINT,
      };
      return byRoom[room];
    }
    case 'shuttleMediatorOnly':
      return isPartyRole(role) ? { ...OWN, wrap: { key: 'audience.neverConveyed' } } : NONE;
    case 'shuttleConveyable':
      return isPartyRole(role) ? { ...OWN, wrap: { key: 'audience.ifConveyed', party: 'south' } } : NONE;
    case 'proposalPrivate':
      return isPartyRole(role) ? OWN : NONE; // a mediator's proposals are tabled
    case 'proposalTabled':
      return role === 'observer' ? NONE : NEGOTIATORS;
    case 'draftParty':
      // North's draft: the mediators anywhere; North's members inside North's caucus only.
      if (isMediatorRole(role)) return NORTH;
      return isPartyRole(role) && room === 'ownCaucus' ? { ...OWN, wrap: { key: 'audience.inCaucus' } } : NONE;
    case 'draftMediators':
      return isMediatorRole(role) ? MEDIATORS : NONE;
    case 'document':
      return isMediatorRole(role) ? { key: 'audience.everyoneText', count: { what: 'observers', n: 1 } } : NONE;
  }
}

/** Every case of the table where the author may be. */
export const CASES: Array<{ role: AuthorRole; room: RoomSlot; composer: Composer; expected: Expected }> = ROLES.flatMap((role) =>
  ROOM_KINDS.filter((room) => CAN_BE_IN[role][room]).flatMap((room) =>
    COMPOSERS.map((composer) => ({ role, room, composer, expected: expected(role, room, composer) })),
  ),
);

/** The world of a case, as the domain sees it (ids are the test's or the server's). */
export interface World {
  roster: Roster;
  north: string;
  south: string;
  rooms: Record<RoomSlot, Room>;
}

/** What a composer writes, as its audience rule needs it. */
export function writing(
  author: Participant,
  composer: Composer,
  room: Room,
  w: World,
):
  | { kind: 'room'; room: Room }
  | { kind: 'shuttle'; label: ShuttleLabel; partyId: string; conveyToPartyId: string | null }
  | { kind: 'proposal'; visibility: ProposalVisibility; origin: ProposalOrigin }
  | { kind: 'draft'; scope: DraftScope }
  | { kind: 'text' } {
  switch (composer) {
    case 'chat':
      return { kind: 'room', room };
    case 'shuttleMediatorOnly':
    case 'shuttleConveyable':
      return {
        kind: 'shuttle',
        label: composer === 'shuttleConveyable' ? 'conveyable' : 'mediator_only',
        partyId: author.partyId ?? '',
        conveyToPartyId: composer === 'shuttleConveyable' ? w.south : null,
      };
    case 'proposalPrivate':
    case 'proposalTabled':
      return {
        kind: 'proposal',
        visibility: composer === 'proposalTabled' ? 'tabled' : 'private',
        origin:
          author.role === 'party_member'
            ? { kind: 'party', partyId: author.partyId!, participantId: author.id }
            : { kind: 'mediator', participantId: author.id },
      };
    case 'draftParty':
      return { kind: 'draft', scope: { kind: 'party', partyId: w.north } };
    case 'draftMediators':
      return { kind: 'draft', scope: { kind: 'mediators' } };
    case 'document':
      return { kind: 'text' };
  }
}

type Writing = ReturnType<typeof writing>;

/** The domain rule that decides who receives what is written (the server's own). */
export function ruleOf(x: Writing): (p: Participant) => boolean {
  switch (x.kind) {
    case 'room':
      return (p) => mayReadRoom(p, x.room);
    case 'shuttle':
      return (p) => maySeeMessage(p, { partyId: x.partyId, status: 'pending' });
    case 'proposal':
      return (p) => mayViewProposal(p, x);
    case 'draft':
      return (p) => mayReadDraft(p, x.scope);
    case 'text':
      return (p) => textViewFor(p) !== null;
  }
}

/** The line the page shows under the composer, from the domain. */
export function lineOf(author: Participant, x: Writing, roster: Roster): { line: AudienceLine; note?: AudienceNote } {
  switch (x.kind) {
    case 'room':
      return { line: roomAudience(author, x.room, roster) };
    case 'shuttle':
      return {
        line: shuttleAudience(author, { ...x, status: 'pending' }, roster),
        note: x.label === 'mediator_only' ? 'mediatorOnly' : undefined,
      };
    case 'proposal':
      return { line: proposalAudience(author, x, roster) };
    case 'draft':
      return { line: draftAudience(author, x.scope, roster), note: 'inCaucus' };
    case 'text':
      return { line: textAudience(author, roster), note: 'tabledText' };
  }
}

/** Room kind of a slot (for reports). */
export const KIND_OF: Record<RoomSlot, RoomKind> = {
  plenary: 'plenary',
  mediators: 'mediator',
  ownCaucus: 'caucus',
  otherCaucus: 'caucus',
  joint: 'joint',
};
