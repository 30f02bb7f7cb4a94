import type { RoomView } from '@parley/contracts';
import { orderRooms } from '@parley/sessions/domain/room-order.policy';
import { chatRoomFor } from './chat-room';

const room = (id: string, kind: RoomView['kind'], partyId: string | null = null, memberIds: string[] = []): RoomView => ({
  id,
  kind,
  name: id,
  partyId,
  memberIds,
});
const plenary = room('plenary', 'plenary');
const mediators = room('mediators', 'mediator');
const north = room('north', 'caucus', 'N');
const south = room('south', 'caucus', 'S');
const joint = room('joint', 'joint', null, ['m1']);
const mediator = { id: 'med', role: 'lead_mediator' as const, partyId: null, isHead: false };
const member = { id: 'm1', role: 'party_member' as const, partyId: 'N', isHead: false };

/** Every order the rooms can come in (the database's order was random per session). */
function permutations<T>(xs: T[]): T[][] {
  return xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}
const ALL = [south, north, joint, mediators, plenary];

describe('Chat in: the room a page starts on', () => {
  it.each(permutations(ALL).map((p) => [p.map((r) => r.id).join(','), p] as const))(
    'someone in no room gets the plenary whatever the order the rooms come in (%s)',
    (_name, rooms) => {
      expect(chatRoomFor({ ...mediator, roomId: null }, rooms, null)).toBe('plenary');
      expect(chatRoomFor({ ...mediator, roomId: null }, orderRooms(rooms, ['N', 'S']), null)).toBe('plenary');
      expect(chatRoomFor({ ...member, roomId: null }, rooms, null)).toBe('plenary');
    },
  );

  it('is the room the person is in', () => {
    for (const r of ALL) expect(chatRoomFor({ ...mediator, roomId: r.id }, ALL, null)).toBe(r.id);
    expect(chatRoomFor({ ...member, roomId: 'north' }, ALL, null)).toBe('north');
  });

  it('keeps a choice while the person stays where they made it; a move brings it back to where they are', () => {
    const chosen = { roomId: 'south', whileIn: 'plenary' };
    expect(chatRoomFor({ ...mediator, roomId: 'plenary' }, ALL, chosen)).toBe('south');
    expect(chatRoomFor({ ...mediator, roomId: 'north' }, ALL, chosen)).toBe('north');
  });

  it('never lands in a caucus the person is not in, nor in a room gone or refused', () => {
    expect(chatRoomFor({ ...mediator, roomId: null }, [south, north], null)).toBeNull();
    expect(chatRoomFor({ ...mediator, roomId: null }, [south, north, mediators], null)).toBe('mediators');
    expect(chatRoomFor({ ...member, roomId: null }, [south, north, joint], null)).toBe('joint');
    expect(chatRoomFor({ ...member, roomId: 'plenary' }, ALL, { roomId: 'south', whileIn: 'plenary' })).toBe('plenary');
    expect(chatRoomFor({ ...mediator, roomId: 'plenary' }, [plenary, north], { roomId: 'gone', whileIn: 'plenary' })).toBe('plenary');
  });
});
