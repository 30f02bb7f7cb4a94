import { withOpusDtx } from './opus-dtx';

const offer = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97',
  'a=rtpmap:96 VP8/90000',
  'a=rtpmap:97 rtx/90000',
  'a=fmtp:97 apt=96',
  '',
].join('\r\n');

describe('Opus DTX on the offer the page publishes with', () => {
  it('asks DTX on the Opus payload only, keeping every other line and the CRLF endings', () => {
    const out = withOpusDtx(offer);
    expect(out).toBe(offer.replace('a=fmtp:111 minptime=10;useinbandfec=1', 'a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1'));
    expect(out.endsWith('\r\n')).toBe(true);
  });

  it('leaves an Opus payload that already says usedtx (either way), and an offer without audio, unchanged', () => {
    for (const said of ['usedtx=0;minptime=10', 'minptime=10; usedtx=1']) {
      const sdp = offer.replace('minptime=10;useinbandfec=1', said);
      expect(withOpusDtx(sdp)).toBe(sdp);
    }
    const videoOnly = offer.slice(0, offer.indexOf('m=audio')) + offer.slice(offer.indexOf('m=video'));
    expect(withOpusDtx(videoOnly)).toBe(videoOnly);
  });

  it('does not touch a video payload that shares the number of an audio Opus one', () => {
    const sdp = offer
      .replace('m=video 9 UDP/TLS/RTP/SAVPF 96 97', 'm=video 9 UDP/TLS/RTP/SAVPF 111 97')
      .replace('a=rtpmap:96 VP8/90000', 'a=rtpmap:111 VP8/90000\r\na=fmtp:111 x=1');
    expect(withOpusDtx(sdp).match(/usedtx=1/g)).toHaveLength(1);
    expect(withOpusDtx(sdp)).toContain('a=fmtp:111 x=1\r\n');
  });
});
