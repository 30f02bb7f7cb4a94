import type { MediaKind } from '../domain/media-kind';

/**
 * SDP as Parley handles it on the server, whatever the SFU: plain text functions, no SFU and no
 * I/O. The browser's offers and answers pass through Parley (never straight to the SFU), and what
 * a participant may send is enforced on the SDP before the SFU sees it.
 */

/** One m-section of an SDP: its kind, mid, direction and whether the browser sends on it. */
export interface SdpSection {
  type: string;
  mid: string | null;
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' | null;
  /** Port not 0 and direction sendrecv/sendonly (or none, which means sendrecv). */
  sending: boolean;
}

const DIRECTION = /^a=(sendrecv|sendonly|recvonly|inactive)$/;

/** The m-sections of an SDP, in order. */
export function sdpSections(sdp: string): SdpSection[] {
  return sdp
    .split(/\r?\n(?=m=)/)
    .slice(1)
    .map((section) => sectionOf(section.split(/\r?\n/).filter((l) => l.length)));
}

function sectionOf(lines: string[]): SdpSection {
  const type = /^m=(\w+)/.exec(lines[0])?.[1] ?? '';
  const mid = lines.find((l) => l.startsWith('a=mid:'))?.slice('a=mid:'.length) ?? null;
  const direction = (lines.find((l) => DIRECTION.test(l))?.slice(2) ?? null) as SdpSection['direction'];
  const sending = !/^m=\w+ 0 /.test(lines[0]) && direction !== 'inactive' && direction !== 'recvonly';
  return { type, mid, direction, sending };
}

/**
 * The offer as the SFU gets it: m-lines of a kind this publisher may not send are marked inactive,
 * so that the SFU answers them inactive and neither receives nor forwards them (the browser's
 * transceiver stays, unused). Audio gets the first audio m-line; camera and screen get the video
 * m-lines in the order of `kinds`. Data channels are left alone.
 */
export function restrictOffer(
  sdp: string,
  kinds: MediaKind[],
): { sdp: string; kinds: MediaKind[]; descriptions: { mid: string; description: string }[] } {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const [head, ...sections] = sdp.split(/\r?\n(?=m=)/);
  let audioLeft = kinds.includes('audio') ? 1 : 0;
  const videoKinds = kinds.filter((k): k is 'video' | 'screen' => k === 'video' || k === 'screen');
  const used: MediaKind[] = [];
  const descriptions: { mid: string; description: string }[] = [];
  const out = sections.map((section) => {
    const lines = section.split(/\r?\n/).filter((l) => l.length);
    const { type, mid, sending } = sectionOf(lines);
    let keep = false;
    if (type === 'audio' && sending && audioLeft > 0) {
      audioLeft--;
      keep = true;
      used.push('audio');
    } else if (type === 'video' && sending && videoKinds.length) {
      const kind = videoKinds.shift()!;
      keep = true;
      used.push(kind);
      if (mid) descriptions.push({ mid, description: kind });
    } else if (type !== 'audio' && type !== 'video') {
      keep = true;
    }
    if (keep) return lines.join(eol);
    return lines
      .filter((l) => !DIRECTION.test(l))
      .concat('a=inactive')
      .join(eol);
  });
  return { sdp: [head, ...out].join(eol) + eol, kinds: [...new Set(used)], descriptions };
}
