import { SystemClock } from './clock';
import { ManualClock } from './manual-clock';
import { SkewedClock } from './skewed-clock';

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('ManualClock', () => {
  it('stands still until advanced, then fires what came due, in order, each at its own time', () => {
    const sut = new ManualClock(1_000);
    const fired: Array<[string, number]> = [];
    sut.wakeAt(3_000, () => fired.push(['late', sut.now()]));
    sut.wakeAt(2_000, () => fired.push(['early', sut.now()]));
    sut.wakeAt(9_000, () => fired.push(['later still', sut.now()]));
    expect(sut.now()).toBe(1_000);

    sut.advance(999);
    expect(fired).toEqual([]);
    sut.advance(2_001);
    expect(fired).toEqual([
      ['early', 2_000],
      ['late', 3_000],
    ]);
    expect(sut.now()).toBe(4_000);
    expect(sut.pending).toBe(1);
  });

  it('fires a wake-up set by another during the same advance, if it is due by the end', () => {
    const sut = new ManualClock(0);
    const fired: number[] = [];
    sut.wakeAt(100, () => {
      fired.push(sut.now());
      sut.wakeAt(sut.now() + 100, () => fired.push(sut.now()));
    });
    sut.advance(250);
    expect(fired).toEqual([100, 200]);
  });

  it('does not fire what was cancelled', () => {
    const sut = new ManualClock(0);
    const fire = jest.fn();
    const cancel = sut.wakeAt(10, fire);
    cancel();
    sut.advance(100);
    expect(fire).not.toHaveBeenCalled();
  });

  it('fires a wake-up already due on a later turn, without being advanced', async () => {
    const sut = new ManualClock(500);
    const fire = jest.fn();
    sut.wakeAt(400, fire);
    expect(fire).not.toHaveBeenCalled();
    await nextTurn();
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('does not go back', () => {
    expect(() => new ManualClock(0).advance(-1)).toThrow('a clock does not go back');
  });
});

describe('SystemClock', () => {
  afterEach(() => jest.useRealTimers());

  it("reads the machine's time and wakes when it reaches the time asked", () => {
    jest.useFakeTimers({ now: 10_000 });
    const sut = new SystemClock();
    const fire = jest.fn();
    sut.wakeAt(12_000, fire);
    expect(sut.now()).toBe(10_000);
    jest.advanceTimersByTime(1_999);
    expect(fire).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it("waits past setTimeout's longest delay instead of firing at once", () => {
    jest.useFakeTimers({ now: 0 });
    const fire = jest.fn();
    const month = 31 * 24 * 3600 * 1000;
    new SystemClock().wakeAt(month, fire);
    jest.advanceTimersByTime(month - 1);
    expect(fire).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('does not fire what was cancelled', () => {
    jest.useFakeTimers({ now: 0 });
    const fire = jest.fn();
    new SystemClock().wakeAt(100, fire)();
    jest.advanceTimersByTime(1_000);
    expect(fire).not.toHaveBeenCalled();
  });
});

describe('SkewedClock', () => {
  afterEach(() => jest.useRealTimers());

  it("flows with the machine's time, ahead of it by what it was advanced", () => {
    jest.useFakeTimers({ now: 50_000 });
    const sut = new SkewedClock();
    expect(sut.now()).toBe(50_000);
    jest.advanceTimersByTime(1_000);
    sut.advance(2_000);
    expect(sut.now()).toBe(53_000);
    expect(() => sut.advance(-1)).toThrow('a clock does not go back');
  });

  it("wakes as its own time is reached, by the machine's time passing or by a move", () => {
    jest.useFakeTimers({ now: 0 });
    const sut = new SkewedClock();
    const byTime = jest.fn();
    const byMove = jest.fn();
    const cancelled = jest.fn();
    sut.wakeAt(1_000, byTime);
    sut.wakeAt(60_000, byMove);
    sut.wakeAt(60_000, cancelled)();
    jest.advanceTimersByTime(1_000);
    expect(byTime).toHaveBeenCalledTimes(1);
    sut.advance(58_000);
    jest.advanceTimersByTime(999);
    expect(byMove).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(byMove).toHaveBeenCalledTimes(1);
    expect(cancelled).not.toHaveBeenCalled();
    expect(byTime).toHaveBeenCalledTimes(1);
  });
});
