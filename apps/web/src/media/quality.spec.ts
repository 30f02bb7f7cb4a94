import { classify, qualityFrom } from './quality';

const report = (entries: Array<Record<string, unknown>>) => {
  const m = new Map(entries.map((e, i) => [String(i), e]));
  return m as unknown as RTCStatsReport;
};

describe('connection quality hint', () => {
  it.each([
    [0.02, 0, 'good'],
    [0.149, 0.019, 'good'],
    [0.2, 0, 'fair'],
    [0.05, 0.03, 'fair'],
    [0.45, 0, 'poor'],
    [0.05, 0.1, 'poor'],
    [null, 0, 'good'],
    [null, 0.09, 'poor'],
  ] as const)('rtt %s s, loss %s → %s', (rtt, loss, q) => {
    expect(classify(rtt, loss)).toBe(q);
  });

  it('counts loss since the previous report, not since the call began', () => {
    const before = report([{ type: 'inbound-rtp', packetsLost: 100, packetsReceived: 900 }]);
    const after = report([
      { type: 'inbound-rtp', packetsLost: 101, packetsReceived: 1899 },
      { type: 'candidate-pair', nominated: true, currentRoundTripTime: 0.03 },
    ]);
    expect(qualityFrom(after, before)).toBe('good');
    // Since the call began: 101 lost of 2,000 (5 %); since the last report: 1 of 1,000 (0.1 %).
    expect(qualityFrom(after, null)).toBe('fair');
  });

  it('reads the round trip from the nominated pair, or else from the remote report', () => {
    expect(
      qualityFrom(
        report([
          { type: 'candidate-pair', nominated: false, currentRoundTripTime: 0.9 },
          { type: 'remote-inbound-rtp', roundTripTime: 0.3 },
        ]),
        null,
      ),
    ).toBe('fair');
  });
});
