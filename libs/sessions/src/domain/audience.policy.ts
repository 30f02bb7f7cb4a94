import { isInterpreter, isMediator, type Participant, type Room } from './model';
import { mayEnter } from './membership.policy';

/**
 * Who reads what is written in a room: whoever may be in it — live while they are there, from
 * its history otherwise (history and replay ask the same rule). Socket rooms follow placement,
 * and placement follows this rule, so nobody else ever receives a room's stream.
 */
export const mayReadRoom = (p: Participant, room: Room): boolean => mayEnter(p, room);

/**
 * The kinds of audience a line under a composer or on a document names:
 * - `everyone`: every participant of the session, observers included (the plenary);
 * - `negotiators`: the mediators and every delegation, no observer (a tabled proposal);
 * - `delegation`: the mediators and one delegation (a caucus, a private proposal, a party draft);
 * - `delegations`: the mediators and some delegations, not all (a conveyed message: sender and receiver);
 * - `members`: the mediators and the people a joint room names;
 * - `mediators`: the mediators only (their room, their draft);
 * - `nobody`: no one may read it (nothing to say but that).
 */
export type AudienceKey = 'everyone' | 'negotiators' | 'delegation' | 'delegations' | 'members' | 'mediators' | 'nobody';

/** Who will see something, in the parts a sentence needs. */
export interface AudienceLine {
  key: AudienceKey;
  /** `delegation`: the party whose delegation sees it. */
  partyId: string | null;
  /** `delegations`: the parties whose delegations see it, in the session's order. */
  partyIds: string[];
  /** `delegation`: that party is the viewer's own. */
  own: boolean;
  /** `members`: how many named people (besides the mediators) see it. */
  members: number;
  /** How many observers see it (only `everyone` has any). */
  observers: number;
  /** A party that sees it only if a mediator conveys it (a conveyable shuttle message), else null. */
  ifConveyedTo: string | null;
  /**
   * How many interpreters see it besides those the key already names (`everyone` in the plenary
   * and a joint room's named people include theirs): a caucus's chat reaches the interpreters its
   * party brought there.
   */
  interpreters: number;
}

/** The session as the audience rules need it: its participants and its parties in order. */
export interface Roster {
  readonly participants: readonly Participant[];
  readonly partyIds: readonly string[];
}

/** The participants of the roster a rule lets see something. */
export const readersOf = <P extends Participant>(sees: (p: Participant) => boolean, participants: readonly P[]): P[] =>
  participants.filter((p) => sees(p));

// Stand-ins for "any mediator", "any member of party X", "any observer": a rule that names
// people (a joint room) lets none of them in, so what it grants to a role shows apart from what
// it grants to a person.
const ANY_MEDIATOR: Participant = { id: '', role: 'co_mediator', partyId: null, isHead: false };
const ANY_OBSERVER: Participant = { id: '', role: 'observer', partyId: null, isHead: false };
const anyMemberOf = (partyId: string): Participant => ({ id: '', role: 'party_member', partyId, isHead: false });

/**
 * Who will see something, said from `viewer`'s side, computed from the very rule (`sees`) the
 * server applies to decide who receives it — never from a copy. The roster gives the counts.
 */
export function audienceOf(viewer: Participant, sees: (p: Participant) => boolean, roster: Roster): AudienceLine {
  const line: AudienceLine = {
    key: 'nobody',
    partyId: null,
    partyIds: [],
    own: false,
    members: 0,
    observers: 0,
    ifConveyedTo: null,
    interpreters: 0,
  };
  const mediators = sees(ANY_MEDIATOR);
  const observers = sees(ANY_OBSERVER);
  const parties = roster.partyIds.filter((id) => sees(anyMemberOf(id)));
  const readers = readersOf(sees, roster.participants);
  const observerCount = readers.filter((p) => p.role === 'observer').length;
  const interpreters = readers.filter(isInterpreter).length;
  const named = readers.filter(
    (p) => !isMediator(p) && !(p.partyId !== null && parties.includes(p.partyId)) && !(observers && p.role === 'observer'),
  );
  if (parties.length === roster.partyIds.length && parties.length > 0 && (observers || parties.length > 1)) {
    return observers ? { ...line, key: 'everyone', observers: observerCount } : { ...line, key: 'negotiators', interpreters };
  }
  if (parties.length === 1) return { ...line, key: 'delegation', partyId: parties[0], own: viewer.partyId === parties[0], interpreters };
  if (parties.length > 1) return { ...line, key: 'delegations', partyIds: parties, interpreters };
  if (named.length > 0) return { ...line, key: 'members', members: named.length };
  if (mediators) return { ...line, key: 'mediators', interpreters };
  return line;
}

/** Who will see what is written in a room. */
export const roomAudience = (viewer: Participant, room: Room, roster: Roster): AudienceLine =>
  audienceOf(viewer, (p) => mayReadRoom(p, room), roster);
