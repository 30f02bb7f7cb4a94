import type { MediaActivity } from '@parley/contracts';
import { speakingAfter } from './activity';

const activity = (roomId: string, speaking: string | null): MediaActivity => ({
  sessionId: 's',
  roomId,
  speaking,
  levels: speaking ? [{ participantId: speaking, dBov: -20 }] : [],
});

describe('the active speaker of the page', () => {
  it.each([
    ['nobody, then ana speaks in our room', null, 'room-1', activity('room-1', 'ana'), 'ana'],
    ['ana, then bea speaks in our room', 'ana', 'room-1', activity('room-1', 'bea'), 'bea'],
    ['ana, then silence in our room', 'ana', 'room-1', activity('room-1', null), null],
    ['ana, then a late event of the room we left', 'ana', 'room-1', activity('room-0', 'bo'), 'ana'],
    ['nobody, and silence elsewhere', null, 'room-1', activity('room-0', null), null],
    ['in no room (the lobby), someone speaks somewhere', null, null, activity('room-1', 'ana'), null],
    ["a mediator in their own room, the plenary's speaker (sent to every mediator)", 'mo', 'room-2', activity('plenary', 'ana'), 'mo'],
  ] as const)('%s', (_, current, roomId, e, expected) => {
    expect(speakingAfter(current, roomId, e)).toBe(expected);
  });
});
