import { RestartBackoff } from './restart-backoff.policy';

describe('RestartBackoff', () => {
  const opts = { initialMs: 200, factor: 2, ceilingMs: 30_000, stableMs: 60_000 };

  it('doubles from 0.2 s up to the 30 s ceiling while failures follow each other', () => {
    const sut = new RestartBackoff(opts);
    let t = 0;
    const plans = Array.from({ length: 12 }, () => {
      const plan = sut.failed(t);
      t += plan.delayMs;
      sut.succeeded(t); // came up, crashed at once
      return plan;
    });
    expect(plans.map((p) => p.delayMs)).toEqual([200, 400, 800, 1_600, 3_200, 6_400, 12_800, 25_600, 30_000, 30_000, 30_000, 30_000]);
    expect(plans.map((p) => p.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('starts over after a run of stableMs, not before', () => {
    const sut = new RestartBackoff(opts);
    sut.failed(0);
    sut.succeeded(200);
    expect(sut.failed(200 + 59_999)).toEqual({ attempt: 2, delayMs: 400 });
    sut.succeeded(70_000);
    expect(sut.failed(130_000)).toEqual({ attempt: 1, delayMs: 200 });
  });
});
