import type { MediaKind } from '../../application/media.port';
import { restrictOffer, subscribedStreams } from './janus.adapter';

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

describe('restrictOffer: what a publisher may send reaches Janus, the rest is offered inactive', () => {
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

describe('subscribedStreams: which feed and kind each m-line of a subscription carries', () => {
  it('keeps audio and video m-lines with their feed, as strings', () => {
    expect(
      subscribedStreams([
        { type: 'audio', mindex: 0, mid: '0', feed_id: 17, feed_mid: '0' },
        { type: 'video', mindex: 1, mid: '1', feed_id: 17, feed_mid: '1' },
        { type: 'video', mindex: 2, mid: '2', feed_id: 23, feed_mid: '1' },
      ]),
    ).toEqual([
      { mid: '0', feedId: '17', kind: 'audio' },
      { mid: '1', feedId: '17', kind: 'video' },
      { mid: '2', feedId: '23', kind: 'video' },
    ]);
  });

  it('drops data channels and m-lines without a feed, and answers [] when Janus sent none', () => {
    expect(
      subscribedStreams([
        { type: 'data', mindex: 0, mid: '0' },
        { type: 'video', mindex: 1, mid: '1' },
      ]),
    ).toEqual([]);
    expect(subscribedStreams(undefined)).toEqual([]);
  });
});
