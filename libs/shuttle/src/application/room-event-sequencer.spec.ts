import type { RoomEvent } from '@parley/contracts';
import type { RealtimeChannel } from '@parley/sessions';
import { HOLD_AT_MOST_MS, RoomEventSequencer } from './room-event-sequencer';

const event = (roomId: string, seq: number): RoomEvent =>
  ({ sessionId: 's', roomId, seq, type: 'chat.message', createdAt: new Date(0).toISOString(), payload: {} }) as unknown as RoomEvent;

function setup() {
  const sent: string[] = [];
  const channel = {
    toRoom: (roomId: string, name: string, e: RoomEvent) => sent.push(`${name} ${roomId}#${e.seq}`),
  } as unknown as RealtimeChannel;
  return { sut: new RoomEventSequencer(channel), sent };
}

describe('RoomEventSequencer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends seq N+1 after N when their commits answer the other way round', () => {
    const { sut, sent } = setup();
    const first = sut.begin('r');
    const second = sut.begin('r');
    second.publish([event('r', 2)]);
    expect(sent).toEqual([]);
    first.publish([event('r', 1)]);
    expect(sent).toEqual(['room.event r#1', 'room.event r#2']);
    expect(sut.openWrites).toBe(0);
  });

  it('sends the next seq at once, even while other writes are open', () => {
    const { sut, sent } = setup();
    const open = sut.begin('r');
    sut.begin('r').publish([event('r', 1)]);
    sut.begin('r').publish([event('r', 2)]);
    expect(sent).toEqual(['room.event r#1', 'room.event r#2']);
    open.end();
  });

  it('does not wait for a seq no write here can hold (another instance wrote it)', () => {
    const { sut, sent } = setup();
    sut.begin('r').publish([event('r', 7)]);
    sut.begin('r').publish([event('r', 9)]);
    expect(sent).toEqual(['room.event r#7', 'room.event r#9']);
  });

  it('waits only for the writes that were open when the event came back', () => {
    const { sut, sent } = setup();
    const a = sut.begin('r');
    const b = sut.begin('r');
    b.publish([event('r', 5)]); // held: `a` may have taken 4
    const later = sut.begin('r'); // began after 5 came back: its seq is higher
    a.end(); // rolled back: 4 is not coming from here
    expect(sent).toEqual(['room.event r#5']);
    later.publish([event('r', 6)]);
    expect(sent).toEqual(['room.event r#5', 'room.event r#6']);
  });

  it('keeps rooms apart, but a write of unknown rooms holds every room', () => {
    const { sut, sent } = setup();
    sut.begin('x').publish([event('x', 1)]);
    sut.begin('y').publish([event('y', 1)]);
    const inX = sut.begin('x');
    sut.begin('y').publish([event('y', 3)]);
    expect(sent).toEqual(['room.event x#1', 'room.event y#1', 'room.event y#3']);
    const anywhere = sut.begin();
    sut.begin('y').publish([event('y', 5)]);
    expect(sent).toHaveLength(3);
    anywhere.publish([event('y', 4), event('x', 2)]);
    expect(sent).toEqual(['room.event x#1', 'room.event y#1', 'room.event y#3', 'room.event y#4', 'room.event y#5', 'room.event x#2']);
    inX.end();
  });

  it(`holds an event at most ${HOLD_AT_MOST_MS} ms, then sends it and what follows in order`, () => {
    const { sut, sent } = setup();
    sut.begin('r').publish([event('r', 1)]);
    const stuck = sut.begin('r');
    sut.begin('r').publish([event('r', 3)]);
    jest.advanceTimersByTime(HOLD_AT_MOST_MS / 2);
    sut.begin('r').publish([event('r', 4)]);
    jest.advanceTimersByTime(HOLD_AT_MOST_MS / 2 - 1);
    expect(sent).toEqual(['room.event r#1']);
    jest.advanceTimersByTime(1);
    expect(sent).toEqual(['room.event r#1', 'room.event r#3', 'room.event r#4']);
    // The late one still goes out (the client's cursor calls it a duplicate after catching up).
    stuck.publish([event('r', 2)]);
    expect(sent).toEqual(['room.event r#1', 'room.event r#3', 'room.event r#4', 'room.event r#2']);
  });

  it('ends a write once: a repeat of end or publish changes nothing', () => {
    const { sut, sent } = setup();
    const w = sut.begin('r');
    w.publish([event('r', 1)]);
    w.end();
    w.publish([event('r', 1)]);
    expect(sent).toEqual(['room.event r#1']);
    expect(sut.openWrites).toBe(0);
  });
});
