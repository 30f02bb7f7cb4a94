import type { MediaKind } from '../domain/media-kind';
import { restrictOffer, sdpSections } from './sdp';

/** An offer with one audio and two video m-lines (camera, then screen), plus a data channel. */
const offer =
  [
    'v=0',
    'o=- 1 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1 2 3',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'a=mid:0',
    'a=sendonly',
    'a=rtpmap:111 opus/48000/2',
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    'a=mid:1',
    'a=sendonly',
    'a=rtpmap:96 VP8/90000',
    'a=rid:h send',
    'a=rid:l send',
    'a=simulcast:send h;l',
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    'a=mid:2',
    'a=sendrecv',
    'a=rtpmap:96 VP8/90000',
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    'a=mid:3',
    'a=sctp-port:5000',
  ].join('\r\n') + '\r\n';

const directions = (sdp: string) =>
  sdp
    .split(/\r\n(?=m=)/)
    .slice(1)
    .map((s) => /\r\na=(sendrecv|sendonly|recvonly|inactive)(\r\n|$)/.exec(s)?.[1] ?? null);

describe('restrictOffer: what a publisher may send reaches the SFU, the rest is offered inactive', () => {
  it.each<[MediaKind[], (string | null)[], MediaKind[], { mid: string; description: string }[]]>([
    [
      ['audio', 'video', 'screen'],
      ['sendonly', 'sendonly', 'sendrecv', null],
      ['audio', 'video', 'screen'],
      [
        { mid: '1', description: 'video' },
        { mid: '2', description: 'screen' },
      ],
    ],
    [['audio'], ['sendonly', 'inactive', 'inactive', null], ['audio'], []],
    [['audio', 'screen'], ['sendonly', 'sendonly', 'inactive', null], ['audio', 'screen'], [{ mid: '1', description: 'screen' }]],
    [['video'], ['inactive', 'sendonly', 'inactive', null], ['video'], [{ mid: '1', description: 'video' }]],
  ])('kinds %j → directions %j', (kinds, expected, used, descriptions) => {
    const sut = restrictOffer(offer, kinds);
    expect(directions(sut.sdp)).toEqual(expected);
    expect(sut.kinds).toEqual(used);
    expect(sut.descriptions).toEqual(descriptions);
  });

  it('keeps every line of the kept m-lines (simulcast included) and the m-line count', () => {
    const sut = restrictOffer(offer, ['audio', 'video', 'screen']);
    expect(sut.sdp).toBe(offer);
    const audioOnly = restrictOffer(offer, ['audio']).sdp;
    expect(audioOnly.match(/^m=/gm)).toHaveLength(4);
    expect(audioOnly).toContain('a=simulcast:send h;l');
  });

  it('does not count m-lines the browser does not send on', () => {
    const recvOnly = offer.replace('a=mid:0\r\na=sendonly', 'a=mid:0\r\na=recvonly');
    expect(restrictOffer(recvOnly, ['audio']).kinds).toEqual([]);
  });
});

describe('sdpSections: each m-section as the server reads it', () => {
  it('names kind, mid, direction and whether the browser sends on it', () => {
    const recvOnly = offer
      .replace('a=mid:0\r\na=sendonly', 'a=mid:0\r\na=recvonly')
      .replace('m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:2', 'm=video 0 UDP/TLS/RTP/SAVPF 96\r\na=mid:2');
    expect(sdpSections(recvOnly)).toEqual([
      { type: 'audio', mid: '0', direction: 'recvonly', sending: false },
      { type: 'video', mid: '1', direction: 'sendonly', sending: true },
      { type: 'video', mid: '2', direction: 'sendrecv', sending: false },
      { type: 'application', mid: '3', direction: null, sending: true },
    ]);
  });

  it('reads SDP with bare LF line ends too, and an SDP without m-lines as none', () => {
    expect(sdpSections(offer.replace(/\r\n/g, '\n')).map((s) => s.mid)).toEqual(['0', '1', '2', '3']);
    expect(sdpSections('v=0\r\ns=-\r\n')).toEqual([]);
  });
});
