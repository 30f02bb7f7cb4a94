import { orderRooms } from './room-order.policy';

describe('orderRooms', () => {
  const room = (id: string, kind: 'plenary' | 'mediator' | 'caucus' | 'joint', partyId: string | null = null, openedAt = 0) => ({
    id,
    kind,
    partyId,
    openedAt,
  });
  const parties = ['zulu', 'alpha', 'mike'];
  const rooms = [
    room('j2', 'joint', null, 20),
    room('cA', 'caucus', 'alpha'),
    room('med', 'mediator'),
    room('cM', 'caucus', 'mike'),
    room('j1', 'joint', null, 10),
    room('plen', 'plenary'),
    room('cZ', 'caucus', 'zulu'),
  ];

  it('lists the plenary, the mediators, caucuses in party order, then joint rooms by opening time', () => {
    expect(orderRooms(rooms, parties, (r) => r.openedAt).map((r) => r.id)).toEqual(['plen', 'med', 'cZ', 'cA', 'cM', 'j1', 'j2']);
  });

  it('gives the same order whatever order the rooms came in', () => {
    const reversed = orderRooms([...rooms].reverse(), parties, (r) => r.openedAt);
    expect(reversed.map((r) => r.id)).toEqual(orderRooms(rooms, parties, (r) => r.openedAt).map((r) => r.id));
  });

  it('keeps joint rooms in the order given when no opening time is known (a stable sort)', () => {
    expect(orderRooms(rooms, parties).map((r) => r.id)).toEqual(['plen', 'med', 'cZ', 'cA', 'cM', 'j2', 'j1']);
  });

  it('puts a caucus of an unknown party after the known ones, and does not change its input', () => {
    const copy = [...rooms, room('cX', 'caucus', 'unknown')];
    const before = copy.map((r) => r.id);
    expect(
      orderRooms(copy, parties)
        .map((r) => r.id)
        .slice(2, 6),
    ).toEqual(['cZ', 'cA', 'cM', 'cX']);
    expect(copy.map((r) => r.id)).toEqual(before);
  });
});
