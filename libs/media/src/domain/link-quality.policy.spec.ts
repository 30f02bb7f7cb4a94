import { noReports, reportLink, SFU_POOR_LINK, type LinkReports } from './link-quality.policy';

/** Feeds reports at the given times (lost 10 each); returns the times at which the participant was told. */
function toldAt(times: number[], lost: number | null = 10): { told: number[]; last: LinkReports } {
  let r = noReports();
  const told: number[] = [];
  for (const t of times) {
    const next = reportLink(r, t, lost);
    r = next.reports;
    if (next.tell) told.push(t);
  }
  return { told, last: r };
}

describe('the SFU finds a subscriber’s link poor (link-quality.policy)', () => {
  it('one or two reports are a burst: nobody is told', () => {
    expect(toldAt([0]).told).toEqual([]);
    expect(toldAt([0, 1000]).told).toEqual([]);
  });

  it('three reports within the window: told at the third, with the reports and the packets lost', () => {
    let r = noReports();
    r = reportLink(r, 0, 12).reports;
    r = reportLink(r, 1000, 30).reports;
    const third = reportLink(r, 2000, 8);
    expect(third.tell).toEqual({ reports: 3, lost: 50 });
    expect(third.reports).toEqual({ at: [], lost: [], toldAt: 2000 });
  });

  it('reports spread wider than the window never add up', () => {
    const step = SFU_POOR_LINK.windowMs / 2 + 1;
    expect(toldAt([0, step, 2 * step, 3 * step, 4 * step]).told).toEqual([]);
  });

  it('a report exactly one window old has left it', () => {
    expect(toldAt([0, 1, SFU_POOR_LINK.windowMs]).told).toEqual([]);
    expect(toldAt([0, 1, SFU_POOR_LINK.windowMs - 1]).told).toEqual([SFU_POOR_LINK.windowMs - 1]);
  });

  it('told once, then quiet for repeatMs however much is reported; told again after', () => {
    const every = Array.from({ length: 45 }, (_, i) => i * 1000);
    const { told } = toldAt(every);
    expect(told[0]).toBe(2000);
    expect(told[1]).toBeGreaterThanOrEqual(2000 + SFU_POOR_LINK.repeatMs);
    expect(told).toHaveLength(2);
  });

  it('an SFU that does not count packets (mediasoup scores) says so: lost is null', () => {
    let r = noReports();
    r = reportLink(r, 0, null).reports;
    r = reportLink(r, 500, null).reports;
    expect(reportLink(r, 900, null).tell).toEqual({ reports: 3, lost: null });
  });
});
