import * as sdpTransform from 'sdp-transform';
import { RemoteSdp } from 'mediasoup-client/handlers/sdp/RemoteSdp';
import { extractDtlsParameters, extractRtpCapabilities, getCname } from 'mediasoup-client/handlers/sdp/commonUtils';
import { getRtpEncodings } from 'mediasoup-client/handlers/sdp/unifiedPlanUtils';
import { addNackSupportForOpus } from 'mediasoup-client/handlers/ortc/utils';
import {
  getExtendedRtpCapabilities,
  getSendingRemoteRtpParameters,
  getSendingRtpParameters,
  reduceCodecs,
  validateAndNormalizeRtpCapabilities,
} from 'mediasoup-client/ortc';
import { DomainError } from '@parley/platform/domain';
import type { MediaKind } from '../../domain/media-kind';
import { restrictOffer } from '../sdp';
import type { DtlsParameters, IceCandidate, IceParameters, RtpCapabilities, RtpParameters } from './mediasoup-lib';

/**
 * Parley's SDP offer/answer contract with the browser, bridged to mediasoup's ORTC-style API on
 * the server (the page never runs mediasoup-client). This mirrors what mediasoup-client's Chrome111
 * handler does in a page, with the roles of the two sides as Parley has them:
 *
 * - publish: the browser is the offerer. Its offer says which codecs, header extensions, SSRCs (or
 *   simulcast rids) and DTLS fingerprint it sends with; from it come one producer's RTP parameters
 *   per sending m-line, and an answer made of the transport's ICE (ice-lite) and DTLS parameters.
 * - subscribe: the server is the offerer. The consumers' RTP parameters, and the receive
 *   transport's ICE and DTLS parameters, make an offer; the browser's answer gives its DTLS
 *   fingerprint and role, which connect the transport.
 *
 * Pure functions of text and parameters: no mediasoup, no I/O.
 */

/** One m-line of a publisher's offer that becomes a producer. */
export interface ProducerPlan {
  mid: string;
  kind: 'audio' | 'video';
  /** What Parley calls it: 'audio', 'video' (camera) or 'screen' (as restrictOffer described it). */
  mediaKind: MediaKind;
  rtpParameters: RtpParameters;
}

export interface PublishPlan {
  producers: ProducerPlan[];
  /** The browser's DTLS parameters, its role as it will be once answered. */
  dtlsParameters: DtlsParameters;
  /** Builds the answer once the transport exists. */
  answer(t: TransportSdpParameters, opts: { videoBitrateKbps: number }): string;
}

export interface TransportSdpParameters {
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
}

const MID_URI = 'urn:ietf:params:rtp-hdrext:sdes:mid';

function invalid(message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', message, 'offerSdp');
}

/** Parses an SDP, or refuses it as VALIDATION_FAILED (sdp-transform itself accepts anything). */
export function parseSdp(sdp: string, field = 'offerSdp'): sdpTransform.SessionDescription {
  if (typeof sdp !== 'string' || !/^v=0\r?\n/.test(sdp)) throw new DomainError('VALIDATION_FAILED', 'This is not an SDP.', field);
  let parsed: sdpTransform.SessionDescription;
  try {
    parsed = sdpTransform.parse(sdp);
  } catch {
    throw new DomainError('VALIDATION_FAILED', 'This SDP does not parse.', field);
  }
  if (!Array.isArray(parsed.media) || !parsed.media.length) throw new DomainError('VALIDATION_FAILED', 'This SDP has no media.', field);
  return parsed;
}

/**
 * What a publisher's offer becomes: the m-lines of `kinds` it may send (restrictOffer decides
 * which), each with the RTP parameters it sends with, in the router's terms. Refuses an offer
 * that does not parse or has nothing allowed to send (VALIDATION_FAILED), and one whose allowed
 * m-lines share no codec with the router (MEDIA_UNSUPPORTED): nothing is half-published.
 */
export function planPublish(offerSdp: string, kinds: MediaKind[], routerCaps: RtpCapabilities): PublishPlan {
  parseSdp(offerSdp);
  const restricted = restrictOffer(offerSdp, [...new Set(kinds)]);
  if (!restricted.kinds.length) throw invalid('The offer carries none of the media to publish.');
  const offer = parseSdp(restricted.sdp);
  let localCaps: RtpCapabilities;
  let browserDtls: DtlsParameters;
  try {
    localCaps = extractRtpCapabilities({ sdpObject: offer });
    // extractRtpCapabilities keeps one header extension per id, so an id both kinds use (the mid,
    // as every browser offers it) ends up with the last m-line's kind only: keep one per kind.
    localCaps.headerExtensions = headerExtensionsByKind(offer);
    validateAndNormalizeRtpCapabilities(localCaps);
    // libwebrtc supports NACK for Opus without announcing it (as mediasoup-client assumes too).
    addNackSupportForOpus(localCaps);
  } catch (e) {
    throw invalid(`The offer's codecs cannot be read: ${(e as Error).message}.`);
  }
  try {
    browserDtls = extractDtlsParameters({ sdpObject: offer });
  } catch {
    throw invalid('The offer has no DTLS fingerprint.');
  }
  const extended = getExtendedRtpCapabilities(localCaps, routerCaps, false);
  const screenMids = new Set(restricted.descriptions.filter((d) => d.description === 'screen').map((d) => d.mid));

  const producers: ProducerPlan[] = [];
  const sections: { media: sdpTransform.MediaDescription; plan: ProducerPlan | null; answerParameters: RtpParameters | null }[] = [];
  for (const media of offer.media) {
    const kind = media.type === 'audio' || media.type === 'video' ? media.type : null;
    const sending = kind !== null && media.port !== 0 && media.direction !== 'inactive' && media.direction !== 'recvonly';
    if (!kind) {
      sections.push({ media, plan: null, answerParameters: null });
      continue;
    }
    if (media.mid === undefined) throw invalid('Every m-line of the offer needs an a=mid.');
    const mid = String(media.mid);
    const offered = new Set(media.rtp.map((r) => r.payload));
    const inSection = (p: RtpParameters): RtpParameters => ({
      ...p,
      codecs: p.codecs.filter((c) => offered.has(c.payloadType)),
    });
    const sendParams = inSection(getSendingRtpParameters(kind, extended));
    const answerParams = inSection(getSendingRemoteRtpParameters(kind, extended));
    const media0 = sendParams.codecs.find((c) => !/\/rtx$/i.test(c.mimeType));
    if (!sending) {
      sections.push({ media, plan: null, answerParameters: media0 ? reduceMedia(answerParams) : null });
      continue;
    }
    if (!media0) {
      throw new DomainError(
        'MEDIA_UNSUPPORTED',
        `The offer's ${kind} has no codec the media server can carry (offered: ${media.rtp.map((r) => r.codec).join(', ') || 'none'}).`,
        'offerSdp',
      );
    }
    const rtpParameters = reduceMedia(sendParams);
    rtpParameters.mid = mid;
    rtpParameters.rtcp = { cname: getCname({ offerMediaObject: media }) || undefined, reducedSize: true };
    rtpParameters.encodings = encodingsOf(media, rtpParameters);
    const plan: ProducerPlan = {
      mid,
      kind,
      mediaKind: kind === 'audio' ? 'audio' : screenMids.has(mid) ? 'screen' : 'video',
      rtpParameters,
    };
    producers.push(plan);
    sections.push({ media, plan, answerParameters: reduceMedia(answerParams) });
  }
  if (!producers.length) throw invalid('The offer carries none of the media to publish.');

  // Offer `setup:passive` (rare) makes the server the DTLS client; actpass or active, the browser.
  const browserRole = offer.media[0].setup === 'passive' || offer.setup === 'passive' ? 'server' : 'client';
  browserDtls.role = browserRole;

  return {
    producers,
    dtlsParameters: browserDtls,
    answer(t, { videoBitrateKbps }) {
      const remote = new RemoteSdp({
        iceParameters: t.iceParameters,
        iceCandidates: t.iceCandidates,
        dtlsParameters: { ...t.dtlsParameters },
      });
      remote.updateDtlsRole(browserRole === 'client' ? 'server' : 'client');
      if (offer.extmapAllowMixed) remote.setSessionExtmapAllowMixed();
      const rejected: { index: number; media: sdpTransform.MediaDescription }[] = [];
      sections.forEach(({ media, plan, answerParameters }, index) => {
        if (!answerParameters) {
          rejected.push({ index, media });
          return;
        }
        remote.send({
          offerMediaObject: media,
          offerRtpParameters: plan?.rtpParameters ?? answerParameters,
          answerRtpParameters: answerParameters,
        });
        // Not to be sent (another kind than allowed, or the browser does not send on it): inactive.
        if (!plan) remote.disableMediaSection(String(media.mid));
      });
      const answer = sdpTransform.parse(remote.getSdp());
      for (const m of answer.media) {
        if (m.type === 'audio' && m.direction === 'recvonly') withOpusDtx(m);
        if (m.type !== 'video' || m.direction !== 'recvonly') continue;
        // The browser's encoder keeps to the cap (b=AS in kbit/s, b=TIAS in bit/s).
        m.bandwidth = [
          { type: 'TIAS', limit: videoBitrateKbps * 1000 },
          { type: 'AS', limit: videoBitrateKbps },
        ];
      }
      // m-lines the SFU cannot take at all (data channels, no codec in common): rejected (port 0).
      for (const { index, media } of rejected) {
        answer.media.splice(index, 0, {
          type: media.type,
          port: 0,
          protocol: media.protocol,
          payloads: media.payloads ?? media.rtp[0]?.payload?.toString() ?? '0',
          ...(media.mid !== undefined ? { mid: String(media.mid) } : {}),
          direction: 'inactive',
          rtp: [],
          fmtp: [],
        });
      }
      return sdpTransform.write(answer);
    },
  };
}

/**
 * Asks the browser for Opus DTX on what it sends (`usedtx=1` in the answer's fmtp, the receiver's
 * preference the sender follows): a microphone in silence sends one small packet every 400 ms instead
 * of 50 full ones a second. In a mediation one person speaks at a time, so the silent ones cost a
 * delegate on a thin link nearly nothing (the Janus rooms negotiate the same, `opus_dtx`).
 */
function withOpusDtx(m: sdpTransform.MediaDescription): void {
  const opus = new Set(m.rtp.filter((r) => r.codec.toLowerCase() === 'opus').map((r) => r.payload));
  for (const f of m.fmtp) {
    if (!opus.has(f.payload) || /(^|;)\s*usedtx=/.test(f.config)) continue;
    f.config = f.config ? `${f.config};usedtx=1` : 'usedtx=1';
  }
  for (const payload of opus) if (!m.fmtp.some((f) => f.payload === payload)) m.fmtp.push({ payload, config: 'usedtx=1' });
}

function headerExtensionsByKind(offer: sdpTransform.SessionDescription): NonNullable<RtpCapabilities['headerExtensions']> {
  const out = new Map<string, NonNullable<RtpCapabilities['headerExtensions']>[number]>();
  for (const m of offer.media) {
    if (m.type !== 'audio' && m.type !== 'video') continue;
    for (const ext of m.ext ?? []) {
      if (ext['encrypt-uri' as keyof typeof ext]) continue;
      out.set(`${m.type} ${ext.value}`, { kind: m.type, uri: ext.uri as never, preferredId: ext.value });
    }
  }
  return [...out.values()];
}

/** One media codec (the router's preferred one the browser offered) and its RTX. */
function reduceMedia(p: RtpParameters): RtpParameters {
  return { ...p, codecs: reduceCodecs(p.codecs) };
}

/** The encodings a browser sends on an m-line: simulcast rids, else its SSRCs (and RTX), else its mid alone. */
function encodingsOf(media: sdpTransform.MediaDescription, p: RtpParameters): RtpParameters['encodings'] {
  const rids = (media.rids ?? []).filter((r) => r.direction === 'send');
  if (rids.length) return rids.map((r) => ({ rid: String(r.id) }));
  if (media.ssrcs?.length) {
    try {
      return getRtpEncodings({ offerMediaObject: media, codecs: p.codecs });
    } catch (e) {
      throw invalid(`The offer's SSRCs cannot be read: ${(e as Error).message}.`);
    }
  }
  if (p.headerExtensions?.some((h) => h.uri === MID_URI)) return [{}];
  throw invalid('An m-line of the offer names neither SSRCs nor rids, and no mid header extension.');
}

/** A subscription offer: one m-line per consumer, in order. */
export function subscribeOffer(
  t: TransportSdpParameters,
  consumers: { mid: string; kind: 'audio' | 'video'; rtpParameters: RtpParameters; streamId: string; trackId: string }[],
): string {
  const remote = new RemoteSdp({
    iceParameters: t.iceParameters,
    iceCandidates: t.iceCandidates,
    dtlsParameters: { ...t.dtlsParameters, role: 'auto' },
  });
  for (const c of consumers) {
    remote.receive({ mid: c.mid, kind: c.kind, offerRtpParameters: c.rtpParameters, streamId: c.streamId, trackId: c.trackId });
  }
  return remote.getSdp();
}

/**
 * The browser's DTLS parameters from its answer to a subscription offer (actpass): `setup:active`
 * (what browsers answer) makes it the DTLS client, `passive` the server.
 */
export function answerDtls(answerSdp: string): DtlsParameters {
  const answer = parseSdp(answerSdp, 'answerSdp');
  let dtls: DtlsParameters;
  try {
    dtls = extractDtlsParameters({ sdpObject: answer });
  } catch {
    throw new DomainError('VALIDATION_FAILED', 'The answer has no DTLS fingerprint.', 'answerSdp');
  }
  const setup = answer.media.find((m) => m.setup)?.setup ?? answer.setup;
  dtls.role = setup === 'passive' ? 'server' : 'client';
  return dtls;
}
