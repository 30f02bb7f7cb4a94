/**
 * Opus DTX on what the page sends: `usedtx=1` on each Opus payload of the offer's audio sections.
 * With it a microphone in silence (or muted) sends one small packet every 400 ms instead of 50 a
 * second, so the voices that are not speaking cost a delegate on a thin link nearly nothing (in a
 * mediation one person speaks at a time). Offered by the page because the Janus VideoRoom only
 * echoes what the offer asks (`opus_dtx` in its rooms); the mediasoup bridge's answer asks it too.
 * Other lines, and an Opus payload that already says `usedtx`, are left as they are.
 */
export function withOpusDtx(sdp: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(eol);
  // Each media section's Opus payloads (a payload number is the section's own).
  const opusOf = new Map<number, Set<string>>();
  let section = -1;
  lines.forEach((line, i) => {
    if (line.startsWith('m=')) section = line.startsWith('m=audio') ? i : -1;
    const rtpmap = /^a=rtpmap:(\d+) opus\/48000/i.exec(line);
    if (section >= 0 && rtpmap) opusOf.set(section, (opusOf.get(section) ?? new Set()).add(rtpmap[1]));
  });
  section = -1;
  return lines
    .map((line, i) => {
      if (line.startsWith('m=')) section = line.startsWith('m=audio') ? i : -1;
      const fmtp = /^a=fmtp:(\d+) (.*)$/.exec(line);
      if (!fmtp || !opusOf.get(section)?.has(fmtp[1]) || /(^|;)\s*usedtx=/.test(fmtp[2])) return line;
      return `${line};usedtx=1`;
    })
    .join(eol);
}
