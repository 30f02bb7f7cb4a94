import type { RoomKind } from '@parley/contracts';

/** What the order needs to know about a room. */
export interface OrderableRoom {
  readonly kind: RoomKind;
  /** The party a caucus belongs to. */
  readonly partyId: string | null;
}

const KIND_RANK: Record<RoomKind, number> = { plenary: 0, mediator: 1, caucus: 2, joint: 3 };

/**
 * The order in which rooms are listed everywhere (the session view, the mediators' overview, every
 * Move list): the plenary, the mediators' room, the caucuses in party order (the order the parties
 * were created in), then joint rooms by opening time. Rooms that compare equal keep the order they
 * came in (the sort is stable), so a list already ordered by opening time needs no `openedAt`.
 *
 * Without this rule the order was the database's: rooms created in one transaction share their
 * creation time and then sorted by their random ids, a different order in every session.
 */
export function orderRooms<R extends OrderableRoom>(
  rooms: readonly R[],
  partyOrder: readonly string[],
  openedAt?: (room: R) => number,
): R[] {
  const partyRank = (r: R) => {
    const i = r.partyId === null ? -1 : partyOrder.indexOf(r.partyId);
    return i === -1 ? partyOrder.length : i;
  };
  return [...rooms].sort((a, b) => {
    const byKind = KIND_RANK[a.kind] - KIND_RANK[b.kind];
    if (byKind !== 0) return byKind;
    if (a.kind === 'caucus') return partyRank(a) - partyRank(b);
    if (a.kind === 'joint' && openedAt) return openedAt(a) - openedAt(b);
    return 0;
  });
}
