import { GAP_GRACE_MS, OrderedStream, StreamCursor, type StreamTimers } from './stream-cursor';

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

/** Timers moved by hand. */
function manualTimers() {
  let now = 0;
  const due = new Map<number, { at: number; run: () => void }>();
  let ids = 0;
  const timers: StreamTimers = {
    set: (run, ms) => {
      due.set(++ids, { at: now + ms, run });
      return ids;
    },
    clear: (id) => {
      due.delete(id as number);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [id, t] of [...due].sort((x, y) => x[1].at - y[1].at)) {
      if (t.at > now) continue;
      due.delete(id);
      t.run();
    }
  };
  return { timers, advance, pending: () => due.size };
}

describe('OrderedStream', () => {
  const e = (seq: number, roomId = 'r') => ({ roomId, seq });
  function setup(holdMs?: number, initial?: Record<string, number>) {
    const delivered: string[] = [];
    const gaps: string[] = [];
    const clock = manualTimers();
    const sut = new OrderedStream(
      { deliver: (x) => delivered.push(`${x.roomId}#${x.seq}`), gap: (room, after) => gaps.push(`${room}>${after}`) },
      { holdMs, initial, timers: clock.timers },
    );
    return { sut, delivered, gaps, ...clock };
  }

  it('delivers in order what arrives crossed within the grace, without asking for history', () => {
    const { sut, delivered, gaps, advance, pending } = setup();
    sut.offer(e(1));
    sut.offer(e(3));
    sut.offer(e(4));
    advance(GAP_GRACE_MS - 1);
    expect(delivered).toEqual(['r#1']);
    sut.offer(e(2));
    expect(delivered).toEqual(['r#1', 'r#2', 'r#3', 'r#4']);
    advance(GAP_GRACE_MS);
    expect(gaps).toEqual([]);
    expect(pending()).toBe(0);
  });

  it('asks for history after the grace, and the page releases what was held, each event once', () => {
    const { sut, delivered, gaps, advance } = setup();
    sut.offer(e(1));
    sut.offer(e(4));
    advance(GAP_GRACE_MS);
    expect(gaps).toEqual(['r>1']);
    for (const x of [e(2), e(3), e(4)]) sut.offer(x); // the history page overlaps what is held
    sut.offer(e(3)); // and a late live copy
    expect(delivered).toEqual(['r#1', 'r#2', 'r#3', 'r#4']);
    expect(sut.heldCount('r')).toBe(0);
  });

  it('with no grace, reports a gap at once (the plain cursor behaviour)', () => {
    const { sut, gaps } = setup(0, { r: 7 });
    sut.offer(e(9));
    expect(gaps).toEqual(['r>7']);
  });

  it('keeps rooms apart', () => {
    const { sut, delivered, gaps, advance } = setup();
    sut.offer(e(2, 'a'));
    sut.offer(e(1, 'b'));
    advance(GAP_GRACE_MS);
    expect(delivered).toEqual(['b#1']);
    expect(gaps).toEqual(['a>0']);
  });

  it('asks again when a later event finds the gap still open after a reading', () => {
    const { sut, gaps, advance } = setup();
    sut.offer(e(3));
    advance(GAP_GRACE_MS);
    sut.offer(e(4));
    advance(GAP_GRACE_MS);
    expect(gaps).toEqual(['r>0', 'r>0']);
  });

  it('close forgets what is held and its timers', () => {
    const { sut, gaps, advance, pending } = setup();
    sut.offer(e(5));
    sut.close();
    expect(pending()).toBe(0);
    advance(GAP_GRACE_MS);
    expect(gaps).toEqual([]);
    expect(sut.heldCount('r')).toBe(0);
  });
});
