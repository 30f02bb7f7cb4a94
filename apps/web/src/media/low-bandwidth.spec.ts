import {
  isPoorLink,
  isThinUplink,
  keepWindow,
  POOR_LINK,
  readingOf,
  THIN_UPLINK,
  uplinkReadingOf,
  type LinkReading,
  type UplinkReading,
} from './low-bandwidth';

/** Readings every second from t=0: cumulative counters built from per-second figures. */
function readings(
  seconds: number,
  each: (s: number) => Partial<{ lost: number; received: number; kbps: number | null; jitterMs: number | null; video: boolean }>,
): LinkReading[] {
  const out: LinkReading[] = [];
  let lost = 0;
  let received = 0;
  for (let s = 0; s <= seconds; s++) {
    const r = each(s);
    lost += r.lost ?? 0;
    received += r.received ?? 100;
    out.push({ at: s * 1000, availableKbps: r.kbps ?? null, lost, received, jitterMs: r.jitterMs ?? 10, video: r.video ?? true });
  }
  return out;
}

const report = (entries: Array<Record<string, unknown>>) => new Map(entries.map((e, i) => [String(i), e])) as unknown as RTCStatsReport;

describe('the poor-link decision (automatic audio-only receive)', () => {
  it('a clean link is never poor', () => {
    expect(isPoorLink(readings(30, () => ({ kbps: 2000 })))).toBe(false);
  });

  it('loss above 8 % over the whole 5 s window is poor; at 8 % or under it is not', () => {
    expect(isPoorLink(readings(6, () => ({ lost: 9, received: 91 })))).toBe(true);
    expect(isPoorLink(readings(6, () => ({ lost: 8, received: 92 })))).toBe(false);
  });

  it('needs the window covered: 4 s of heavy loss since the start decides nothing yet', () => {
    const sut = readings(4, () => ({ lost: 50, received: 50 }));
    expect(isPoorLink(sut)).toBe(false);
    expect(isPoorLink(readings(5, () => ({ lost: 50, received: 50 })))).toBe(true);
  });

  it('one bad second in a good window is a burst, not a poor link', () => {
    expect(isPoorLink(readings(10, (s) => (s === 9 ? { lost: 30, received: 70 } : {})))).toBe(false);
  });

  it('an estimate under 150 kbit/s in every reading of the window is poor; one reading above it is not', () => {
    expect(isPoorLink(readings(6, () => ({ kbps: 100 })))).toBe(true);
    expect(isPoorLink(readings(6, (s) => ({ kbps: s === 4 ? 400 : 100 })))).toBe(false);
    // No estimate from the browser: the loss and the jitter decide alone.
    expect(isPoorLink(readings(6, () => ({ kbps: null })))).toBe(false);
  });

  it('audio jitter above 100 ms in every reading of the window is poor', () => {
    expect(isPoorLink(readings(6, () => ({ jitterMs: 180 })))).toBe(true);
    expect(isPoorLink(readings(6, (s) => ({ jitterMs: s === 5 ? 20 : 180 })))).toBe(false);
  });

  it('a subscription without video is never judged: there is nothing to shed', () => {
    expect(isPoorLink(readings(6, () => ({ lost: 50, received: 50, video: false })))).toBe(false);
  });

  it('a stall is not a thin link: nothing arriving over the window (the SFU frozen) decides nothing, even with the estimate falling', () => {
    expect(isPoorLink(readings(6, (s) => (s === 0 ? {} : { received: 0, kbps: 30 })))).toBe(false);
    // The window straddles the freeze: three seconds of packets, then none, the estimate falling throughout.
    expect(isPoorLink(readings(6, (s) => (s <= 3 ? { kbps: 100 } : { received: 0, kbps: 30 })))).toBe(false);
    expect(isPoorLink(readings(6, (s) => (s <= 5 ? { kbps: 100 } : { received: 0, kbps: 30 })))).toBe(false);
    // The same estimate with packets still arriving in the newest second: a thin link.
    expect(isPoorLink(readings(6, () => ({ kbps: 100 })))).toBe(true);
    // Audio still arriving, with loss, while the video never got through: poor.
    expect(isPoorLink(readings(6, () => ({ lost: 35, received: 65 })))).toBe(true);
  });

  it('keeps only the window and its base', () => {
    const sut = keepWindow(readings(20, () => ({})));
    expect(sut[0].at).toBe(20_000 - POOR_LINK.windowMs);
    expect(sut).toHaveLength(6);
    expect(keepWindow([])).toEqual([]);
  });

  it('reads loss, video, the worst audio jitter and the incoming estimate from getStats', () => {
    const sut = readingOf(
      report([
        { type: 'candidate-pair', nominated: true, availableIncomingBitrate: 120_000 },
        { type: 'candidate-pair', nominated: false, availableIncomingBitrate: 9_000_000 },
        { type: 'inbound-rtp', kind: 'audio', packetsLost: 3, packetsReceived: 97, jitter: 0.04 },
        { type: 'inbound-rtp', kind: 'audio', packetsLost: 1, packetsReceived: 99, jitter: 0.12 },
        { type: 'inbound-rtp', kind: 'video', packetsLost: 20, packetsReceived: 180 },
      ]),
      7,
    );
    expect(sut).toEqual({ at: 7, availableKbps: 120, lost: 24, received: 376, jitterMs: 120, video: true });
    expect(readingOf(report([{ type: 'inbound-rtp', kind: 'video', packetsReceived: 0 }]), 0).video).toBe(false);
    // A subscription that asked for video carries it, though none of its packets got through yet.
    expect(readingOf(report([{ type: 'inbound-rtp', kind: 'audio', packetsReceived: 50 }]), 0, true).video).toBe(true);
    expect(readingOf(report([{ type: 'inbound-rtp', kind: 'video', packetsReceived: 9 }]), 0, false).video).toBe(false);
  });
});

/** Uplink readings every second from t=0; the SFU sends one receiver report a second unless told. */
function uplink(seconds: number, each: (s: number) => Partial<{ kbps: number | null; reports: number; video: boolean }>): UplinkReading[] {
  const out: UplinkReading[] = [];
  let reports = 0;
  for (let s = 0; s <= seconds; s++) {
    const r = each(s);
    reports += r.reports ?? 1;
    out.push({ at: s * 1000, availableKbps: r.kbps === undefined ? 30 : r.kbps, reports, video: r.video ?? true });
  }
  return out;
}

describe('the thin-uplink decision (the page stops sending its camera)', () => {
  it(`an estimate under ${THIN_UPLINK.availableKbps} kbit/s in every reading of the 5 s window is thin`, () => {
    expect(isThinUplink(uplink(5, () => ({ kbps: 60 })))).toBe(true);
    expect(isThinUplink(uplink(5, () => ({ kbps: 63 })))).toBe(true);
  });

  it('at the threshold, or with one reading above it in the window, it is not', () => {
    expect(isThinUplink(uplink(5, () => ({ kbps: THIN_UPLINK.availableKbps })))).toBe(false);
    expect(isThinUplink(uplink(8, (s) => ({ kbps: s === 6 ? 97 : 30 })))).toBe(false);
    // The reading above it left the window: thin again.
    expect(isThinUplink(uplink(12, (s) => ({ kbps: s === 6 ? 97 : 30 })))).toBe(true);
  });

  it('needs the window covered: 4 s since the first reading decide nothing yet', () => {
    expect(isThinUplink(uplink(4, () => ({})))).toBe(false);
  });

  it('no estimate from the browser decides nothing', () => {
    expect(isThinUplink(uplink(8, () => ({ kbps: null })))).toBe(false);
    expect(isThinUplink(uplink(8, (s) => ({ kbps: s === 7 ? null : 60 })))).toBe(false);
  });

  it('a stall is not a thin uplink: no receiver report from the SFU over the window decides nothing', () => {
    expect(isThinUplink(uplink(8, (s) => ({ reports: s < 2 ? 1 : 0 })))).toBe(false);
    // One report in the window is enough to know the SFU is there.
    expect(isThinUplink(uplink(8, (s) => ({ reports: s === 7 ? 1 : 0 })))).toBe(true);
  });

  it('a publication without video is never judged (audio only, an interpreter): nothing to shed', () => {
    expect(isThinUplink(uplink(8, () => ({ video: false })))).toBe(false);
    // Video that stopped within the window (the camera left the publication) decides nothing.
    expect(isThinUplink(uplink(8, (s) => ({ video: s < 6 })))).toBe(false);
  });

  it('reads the estimate off the nominated pair, video from the outbound streams, and sums the receiver reports', () => {
    const r = uplinkReadingOf(
      report([
        { type: 'candidate-pair', nominated: false, availableOutgoingBitrate: 900_000 },
        { type: 'candidate-pair', nominated: true, availableOutgoingBitrate: 64_000 },
        { type: 'outbound-rtp', kind: 'audio' },
        { type: 'outbound-rtp', kind: 'video' },
        { type: 'remote-inbound-rtp', kind: 'audio', roundTripTimeMeasurements: 7 },
        { type: 'remote-inbound-rtp', kind: 'video', roundTripTimeMeasurements: 5 },
      ]),
      1234,
    );
    expect(r).toEqual({ at: 1234, availableKbps: 64, reports: 12, video: true });
    expect(uplinkReadingOf(report([{ type: 'outbound-rtp', kind: 'audio' }]), 0)).toEqual({
      at: 0,
      availableKbps: null,
      reports: 0,
      video: false,
    });
  });
});
