import type { ParticipantRole, RoomKind } from '@parley/contracts';
import type { LocatedParticipant, Room } from './model';

let seq = 0;
const nextId = (prefix: string) => `${prefix}-${++seq}`;

/** Small factories for domain specs. */
export function aParticipant(role: ParticipantRole, over: Partial<LocatedParticipant> = {}): LocatedParticipant {
  return {
    id: nextId(role),
    role,
    partyId: role === 'party_member' ? 'party-A' : null,
    isHead: false,
    ...(role === 'interpreter' ? { broughtByPartyId: null, languages: ['ar', 'en'] as [string, string] } : {}),
    roomId: null,
    ...over,
  };
}

export function aRoom(kind: RoomKind, over: Partial<Room> = {}): Room {
  return { id: nextId(kind), kind, partyId: kind === 'caucus' ? 'party-A' : null, memberIds: [], closed: false, ...over };
}

/** The code a rule throws, or 'allow' when it does not: how specs compare outcomes with tables. */
export function codeOf(rule: () => unknown): string {
  try {
    rule();
    return 'allow';
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (!code) throw e;
    return code;
  }
}
