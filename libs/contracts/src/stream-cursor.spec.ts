import { StreamCursor } from './messages';

describe('StreamCursor', () => {
  it('accepts the next event, ignores repeats, reports gaps', () => {
    const sut = new StreamCursor();
    expect(sut.accept({ roomId: 'r', seq: 1 })).toBe('new');
    expect(sut.accept({ roomId: 'r', seq: 1 })).toBe('duplicate');
    expect(sut.accept({ roomId: 'r', seq: 3 })).toBe('gap');
    expect(sut.lastSeq('r')).toBe(1);
    expect(sut.accept({ roomId: 'r', seq: 2 })).toBe('new');
    expect(sut.accept({ roomId: 'r', seq: 3 })).toBe('new');
  });
  it('keeps one position per room, and starts where told', () => {
    const sut = new StreamCursor({ a: 5 });
    expect(sut.accept({ roomId: 'b', seq: 1 })).toBe('new');
    expect(sut.accept({ roomId: 'a', seq: 5 })).toBe('duplicate');
    expect(sut.accept({ roomId: 'a', seq: 6 })).toBe('new');
  });
});
