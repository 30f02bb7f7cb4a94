import * as sdpTransform from 'sdp-transform';
import { DomainError } from '@parley/platform/domain';
import { answerDtls, planPublish, subscribeOffer, type TransportSdpParameters } from './sdp-bridge';
import { ROUTER_CAPABILITIES } from './router-capabilities.fixture';

const FP = Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).padStart(2, '0').toUpperCase()).join(':');

const common = [
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=ice-ufrag:pRly',
  'a=ice-pwd:parleyparleyparleyparley',
  'a=ice-options:trickle',
  `a=fingerprint:sha-256 ${FP}`,
  'a=setup:actpass',
];

const audio = (mid: string, direction = 'sendonly') => [
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  ...common,
  `a=mid:${mid}`,
  'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
  `a=${direction}`,
  'a=msid:s a0',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=ssrc:1001 cname:parley',
];

/** A video m-line as Chrome offers it: VP8 (and RTX) on one SSRC pair, or three simulcast rids. */
const video = (mid: string, opts: { simulcast?: boolean; codec?: string } = {}) => [
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97',
  ...common,
  `a=mid:${mid}`,
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
  'a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
  'a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
  'a=sendonly',
  `a=msid:s v${mid}`,
  'a=rtcp-mux',
  'a=rtcp-rsize',
  `a=rtpmap:96 ${opts.codec ?? 'VP8'}/90000`,
  'a=rtcp-fb:96 goog-remb',
  'a=rtcp-fb:96 transport-cc',
  'a=rtcp-fb:96 ccm fir',
  'a=rtcp-fb:96 nack',
  'a=rtcp-fb:96 nack pli',
  'a=rtpmap:97 rtx/90000',
  'a=fmtp:97 apt=96',
  ...(opts.simulcast
    ? ['a=rid:q send', 'a=rid:h send', 'a=rid:f send', 'a=simulcast:send q;h;f']
    : [`a=ssrc-group:FID 200${mid} 300${mid}`, `a=ssrc:200${mid} cname:parley`, `a=ssrc:300${mid} cname:parley`]),
];

const sdp = (...sections: string[][]) =>
  [
    'v=0',
    'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    `a=group:BUNDLE ${sections.map((s) => /^a=mid:(\S+)/m.exec(s.join('\n'))![1]).join(' ')}`,
    'a=extmap-allow-mixed',
    'a=msid-semantic: WMS s',
    ...sections.flat(),
  ].join('\r\n') + '\r\n';

/** A mediasoup WebRtcTransport's parameters, as they appear in its answers and offers. */
const transport: TransportSdpParameters = {
  iceParameters: { usernameFragment: 'msufrag', password: 'mspassword', iceLite: true },
  iceCandidates: [
    { foundation: 'udpcandidate', priority: 1076302079, address: '127.0.0.1', ip: '127.0.0.1', protocol: 'udp', port: 40123, type: 'host' },
    {
      foundation: 'tcpcandidate',
      priority: 1076276479,
      address: '127.0.0.1',
      ip: '127.0.0.1',
      protocol: 'tcp',
      port: 40124,
      type: 'host',
      tcpType: 'passive',
    },
  ] as TransportSdpParameters['iceCandidates'],
  dtlsParameters: { role: 'auto', fingerprints: [{ algorithm: 'sha-256', value: 'AA:BB:CC' }] },
};

const refusal = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('not refused');
};

describe('planPublish: a browser offer becomes producers and an answer', () => {
  it("takes each sending m-line's codec, header extensions, SSRCs (with RTX) and the browser's DTLS role", () => {
    const plan = planPublish(sdp(audio('0'), video('1')), ['audio', 'video'], ROUTER_CAPABILITIES);
    expect(plan.dtlsParameters).toEqual({ role: 'client', fingerprints: [{ algorithm: 'sha-256', value: FP }] });
    const [a, v] = plan.producers;
    expect(a).toMatchObject({ mid: '0', kind: 'audio', mediaKind: 'audio' });
    expect(a.rtpParameters).toMatchObject({
      mid: '0',
      codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
      encodings: [{ ssrc: 1001 }],
      rtcp: { cname: 'parley', reducedSize: true },
    });
    expect(a.rtpParameters.headerExtensions!.map((h) => [h.uri, h.id])).toEqual(
      expect.arrayContaining([
        ['urn:ietf:params:rtp-hdrext:sdes:mid', 4],
        ['urn:ietf:params:rtp-hdrext:ssrc-audio-level', 1],
      ]),
    );
    expect(v).toMatchObject({ mid: '1', kind: 'video', mediaKind: 'video' });
    expect(v.rtpParameters.codecs.map((c) => [c.mimeType, c.payloadType])).toEqual([
      ['video/VP8', 96],
      ['video/rtx', 97],
    ]);
    expect(v.rtpParameters.encodings).toEqual([{ ssrc: 2001, rtx: { ssrc: 3001 } }]);
  });

  it('answers ice-lite, passive, with the transport candidates, recvonly, the bitrate cap on video, one codec per m-line', () => {
    const plan = planPublish(sdp(audio('0'), video('1', { simulcast: true })), ['audio', 'video'], ROUTER_CAPABILITIES);
    expect(plan.producers[1].rtpParameters.encodings).toEqual([{ rid: 'q' }, { rid: 'h' }, { rid: 'f' }]);
    const answer = sdpTransform.parse(plan.answer(transport, { videoBitrateKbps: 300 }));
    expect(answer.icelite).toBe('ice-lite');
    expect(answer.groups).toEqual([{ type: 'BUNDLE', mids: '0 1' }]);
    expect(answer.media.map((m) => [m.type, String(m.mid), m.direction, m.setup, m.rtp.map((r) => r.codec).join(',')])).toEqual([
      ['audio', '0', 'recvonly', 'passive', 'opus'],
      ['video', '1', 'recvonly', 'passive', 'VP8,rtx'],
    ]);
    expect(answer.media[0].bandwidth).toBeUndefined();
    // Opus DTX asked of the sender (silence costs a packet every 400 ms), on audio only.
    expect(answer.media[0].fmtp.map((f) => f.config)).toEqual([expect.stringMatching(/(^|;)usedtx=1$/)]);
    expect(answer.media[1].fmtp.some((f) => f.config.includes('usedtx'))).toBe(false);
    expect(answer.media[1].bandwidth).toEqual([
      { type: 'TIAS', limit: 300000 },
      { type: 'AS', limit: 300 },
    ]);
    expect(answer.media[1].simulcast).toEqual({ dir1: 'recv', list1: 'q;h;f' });
    expect(answer.media[0].iceUfrag).toBe('msufrag');
    expect((answer.media[0].candidates as { port: number; transport: string }[]).map((c) => [c.transport, c.port])).toEqual([
      ['udp', 40123],
      ['tcp', 40124],
    ]);
    expect(answer.fingerprint).toEqual({ type: 'sha-256', hash: 'AA:BB:CC' });
  });

  it('answers the kinds not allowed inactive (audio only), and describes a second video as screen', () => {
    const audioOnly = planPublish(sdp(audio('0'), video('1')), ['audio'], ROUTER_CAPABILITIES);
    expect(audioOnly.producers.map((p) => p.mid)).toEqual(['0']);
    const answer = sdpTransform.parse(audioOnly.answer(transport, { videoBitrateKbps: 512 }));
    expect(answer.media.map((m) => [m.type, m.port > 0, m.direction])).toEqual([
      ['audio', true, 'recvonly'],
      ['video', true, 'inactive'],
    ]);
    expect(answer.media[1].bandwidth).toBeUndefined();

    const both = planPublish(sdp(audio('0'), video('1'), video('2')), ['audio', 'video', 'screen'], ROUTER_CAPABILITIES);
    expect(both.producers.map((p) => [p.mid, p.mediaKind])).toEqual([
      ['0', 'audio'],
      ['1', 'video'],
      ['2', 'screen'],
    ]);
  });

  it('rejects a data channel m-line in place (port 0), keeping the order of the offer', () => {
    const data = ['m=application 9 UDP/DTLS/SCTP webrtc-datachannel', ...common, 'a=mid:2', 'a=sctp-port:5000'];
    const plan = planPublish(sdp(audio('0'), video('1'), data), ['audio', 'video'], ROUTER_CAPABILITIES);
    const answer = sdpTransform.parse(plan.answer(transport, { videoBitrateKbps: 512 }));
    expect(answer.media.map((m) => [m.type, String(m.mid), m.port === 0])).toEqual([
      ['audio', '0', false],
      ['video', '1', false],
      ['application', '2', true],
    ]);
    expect(answer.groups).toEqual([{ type: 'BUNDLE', mids: '0 1' }]);
  });

  it('refuses an offer with no codec in common with the router: MEDIA_UNSUPPORTED, on offerSdp', () => {
    for (const codec of ['H265', 'X-UNKNOWN']) {
      const e = refusal(() => planPublish(sdp(audio('0'), video('1', { codec })), ['audio', 'video'], ROUTER_CAPABILITIES));
      expect([e.code, e.field]).toEqual(['MEDIA_UNSUPPORTED', 'offerSdp']);
      expect(e.message).toContain(codec);
    }
    // The unsupported video not being allowed anyway, the audio is published alone.
    expect(planPublish(sdp(audio('0'), video('1', { codec: 'H265' })), ['audio'], ROUTER_CAPABILITIES).producers).toHaveLength(1);
  });

  it('refuses what is not an offer to publish: VALIDATION_FAILED, on offerSdp', () => {
    const noFingerprint = sdp(audio('0')).replace(/a=fingerprint:.*\r\n/g, '');
    for (const bad of ['', 'hello', 'v=0\r\nnothing\r\n', noFingerprint, sdp(audio('0', 'recvonly')), sdp(audio('0', 'inactive'))]) {
      const e = refusal(() => planPublish(bad, ['audio', 'video'], ROUTER_CAPABILITIES));
      expect([e.code, e.field]).toEqual(['VALIDATION_FAILED', 'offerSdp']);
    }
    // Only video offered, audio only decided: nothing to publish.
    expect(refusal(() => planPublish(sdp(video('0')), ['audio'], ROUTER_CAPABILITIES)).code).toBe('VALIDATION_FAILED');
  });
});

describe('subscribeOffer and answerDtls: the SFU offers, the browser answers', () => {
  const consumer = (mid: string, kind: 'audio' | 'video', ssrc: number) => ({
    mid,
    kind,
    streamId: 'feed-1',
    trackId: `consumer-${mid}`,
    rtpParameters: {
      mid,
      codecs:
        kind === 'audio'
          ? [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2, parameters: {}, rtcpFeedback: [] }]
          : [
              {
                mimeType: 'video/VP8',
                payloadType: 101,
                clockRate: 90000,
                parameters: {},
                rtcpFeedback: [{ type: 'nack', parameter: 'pli' }],
              },
              { mimeType: 'video/rtx', payloadType: 102, clockRate: 90000, parameters: { apt: 101 }, rtcpFeedback: [] },
            ],
      headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid' as const, id: 1, encrypt: false, parameters: {} }],
      encodings: [kind === 'audio' ? { ssrc } : { ssrc, rtx: { ssrc: ssrc + 1 } }],
      rtcp: { cname: 'alice', reducedSize: true },
    },
  });

  it('offers one sendonly m-line per consumer, actpass, with its SSRCs and the feed as the stream', () => {
    const offer = sdpTransform.parse(subscribeOffer(transport, [consumer('0', 'audio', 5000), consumer('1', 'video', 6000)]));
    expect(offer.groups).toEqual([{ type: 'BUNDLE', mids: '0 1' }]);
    expect(offer.media.map((m) => [m.type, String(m.mid), m.direction, m.setup])).toEqual([
      ['audio', '0', 'sendonly', 'actpass'],
      ['video', '1', 'sendonly', 'actpass'],
    ]);
    expect(offer.media[1].ssrcs!.map((s) => Number(s.id))).toEqual(expect.arrayContaining([6000, 6001]));
    expect(offer.media[1].ssrcGroups).toEqual([{ semantics: 'FID', ssrcs: '6000 6001' }]);
    expect(offer.media[0].msid).toEqual([{ id: 'feed-1', appdata: 'consumer-0' }]);
  });

  it("reads the browser's DTLS role from its answer (active: client), or refuses it on answerSdp", () => {
    const answer = (setup: string) => sdp(audio('0', 'recvonly')).replace(/a=setup:actpass/g, `a=setup:${setup}`);
    expect(answerDtls(answer('active'))).toEqual({ role: 'client', fingerprints: [{ algorithm: 'sha-256', value: FP }] });
    expect(answerDtls(answer('passive')).role).toBe('server');
    for (const bad of ['', 'garbage', answer('active').replace(/a=fingerprint:.*\r\n/g, '')]) {
      const e = refusal(() => answerDtls(bad));
      expect([e.code, e.field]).toEqual(['VALIDATION_FAILED', 'answerSdp']);
    }
  });
});
