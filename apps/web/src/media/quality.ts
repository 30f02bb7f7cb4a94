export type Quality = 'good' | 'fair' | 'poor';

interface Sample {
  rtt: number | null;
  lost: number;
  received: number;
}

/** Round-trip time and packet loss since the previous report, from RTCPeerConnection.getStats(). */
export function sampleOf(report: Iterable<[string, Record<string, unknown>]> | RTCStatsReport): Sample {
  let rtt: number | null = null;
  let lost = 0;
  let received = 0;
  (report as RTCStatsReport).forEach((s: Record<string, unknown>) => {
    if (s.type === 'candidate-pair' && s.nominated && typeof s.currentRoundTripTime === 'number') rtt = s.currentRoundTripTime;
    if (s.type === 'inbound-rtp') {
      lost += Number(s.packetsLost ?? 0);
      received += Number(s.packetsReceived ?? 0);
    }
    if (s.type === 'remote-inbound-rtp' && typeof s.roundTripTime === 'number' && rtt === null) rtt = s.roundTripTime;
  });
  return { rtt, lost, received };
}

/**
 * The connection-quality hint: good under 150 ms round trip and 2 % loss, poor above 400 ms or
 * 8 % loss (where speech starts to break up), fair between.
 */
export function classify(rttSeconds: number | null, lossRatio: number): Quality {
  const rttMs = rttSeconds === null ? 0 : rttSeconds * 1000;
  if (rttMs > 400 || lossRatio > 0.08) return 'poor';
  if (rttMs > 150 || lossRatio > 0.02) return 'fair';
  return 'good';
}

export function qualityFrom(report: RTCStatsReport, previous: RTCStatsReport | null): Quality {
  const now = sampleOf(report);
  const before = previous ? sampleOf(previous) : { rtt: null, lost: 0, received: 0 };
  const lost = Math.max(0, now.lost - before.lost);
  const received = Math.max(0, now.received - before.received);
  return classify(now.rtt, lost + received ? lost / (lost + received) : 0);
}
