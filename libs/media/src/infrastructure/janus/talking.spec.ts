import { TalkingTracker, toDbov } from './talking';

describe('TalkingTracker: Janus talking events as the room activity', () => {
  const sut = () => new TalkingTracker('room-1');

  it('names the one who starts talking, with the level Janus averaged (0-127) as dBov', () => {
    expect(sut().heard('ana', true, 31.4)).toEqual({ roomId: 'room-1', speaking: 'ana', levels: [{ participantId: 'ana', dBov: -31.4 }] });
  });

  it('puts the loudest first and makes them the speaker, whoever started first', () => {
    const t = sut();
    t.heard('ana', true, 40);
    expect(t.heard('bo', true, 22)).toEqual({
      roomId: 'room-1',
      speaking: 'bo',
      levels: [
        { participantId: 'bo', dBov: -22 },
        { participantId: 'ana', dBov: -40 },
      ],
    });
  });

  it('orders equal levels by participant id, not by arrival', () => {
    const a = sut();
    a.heard('zed', true, 30);
    const one = a.heard('amy', true, 30);
    const b = sut();
    b.heard('amy', true, 30);
    const two = b.heard('zed', true, 30);
    expect(one).toEqual(two);
    expect(one?.speaking).toBe('amy');
  });

  it('drops whoever stopped talking, and says nobody speaks when the last one stops', () => {
    const t = sut();
    t.heard('ana', true, 30);
    t.heard('bo', true, 20);
    expect(t.heard('bo', false, 60)).toEqual({ roomId: 'room-1', speaking: 'ana', levels: [{ participantId: 'ana', dBov: -30 }] });
    expect(t.heard('ana', false, 70)).toEqual({ roomId: 'room-1', speaking: null, levels: [] });
  });

  it('answers null when nothing changed: a stop for someone silent, the same level again, a feed gone that never spoke', () => {
    const t = sut();
    expect(t.heard('ana', false, 80)).toBeNull();
    t.heard('bo', true, 25);
    expect(t.heard('bo', true, 25)).toBeNull();
    expect(t.gone('cy')).toBeNull();
  });

  it('a speaker whose feed ends no longer speaks', () => {
    const t = sut();
    t.heard('ana', true, 30);
    expect(t.gone('ana')).toEqual({ roomId: 'room-1', speaking: null, levels: [] });
  });
});

describe('toDbov: Janus audio level (0 loudest, 127 silence) as dBov', () => {
  it.each([
    [0, 0],
    [25, -25],
    [31.44, -31.4],
    [127, -127],
    [200, -127],
    [-3, 0],
    [undefined, -127],
    [Number.NaN, -127],
  ])('%p → %p', (level, dBov) => {
    expect(toDbov(level)).toBe(dBov);
  });
});
