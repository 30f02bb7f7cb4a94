import { InFlight } from './in-flight';

describe('InFlight', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('is idle at once when nothing is under way', async () => {
    const sut = new InFlight();
    await expect(sut.whenIdle(1000)).resolves.toBe(true);
  });

  it('resolves true when the last piece of work ends, false when the bound passes first', async () => {
    const sut = new InFlight();
    sut.begin();
    sut.begin();
    const idle = sut.whenIdle(1000);
    sut.end();
    expect(sut.size).toBe(1);
    sut.end();
    await expect(idle).resolves.toBe(true);

    sut.begin();
    const late = sut.whenIdle(1000);
    jest.advanceTimersByTime(1000);
    await expect(late).resolves.toBe(false);
    expect(sut.size).toBe(1);
  });
});
