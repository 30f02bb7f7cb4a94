import type { RoomView } from '@parley/contracts';
import type { Participant } from '@parley/sessions/domain/model';
import { mayEnter } from '@parley/sessions/domain/membership.policy';

/**
 * The room a page's "Chat in" shows, among `rooms` (in the one room order):
 * 1. the room the person chose, while they are still where they chose it and it is still open;
 * 2. else the room they are in;
 * 3. else the plenary (everyone may read what is said there, so nothing lands where it should not);
 * 4. else the mediators' room, then a joint room they may enter — never a caucus they are not in.
 *
 * Before, a page with nobody placed fell on the first room of the overview as it arrived — in the
 * database's order, a different one per session (a caucus in some), and a choice once made stayed
 * on after the person moved.
 */
export function chatRoomFor(
  me: Participant & { roomId: string | null },
  rooms: readonly RoomView[],
  chosen: { roomId: string; whileIn: string | null } | null,
): string | null {
  const open = (id: string | null) => (id ? rooms.find((r) => r.id === id && mayEnter(me, { ...r, closed: false })) : undefined);
  if (chosen && chosen.whileIn === me.roomId && open(chosen.roomId)) return chosen.roomId;
  if (open(me.roomId)) return me.roomId;
  const ofKind = (kind: RoomView['kind']) => rooms.find((r) => r.kind === kind && mayEnter(me, { ...r, closed: false }));
  return (ofKind('plenary') ?? ofKind('mediator') ?? ofKind('joint'))?.id ?? null;
}
