/**
 * mediasoup is an optional dependency: a clean install where its worker cannot be downloaded or
 * built leaves it out, and Parley must still build (tsc) and start. So nothing imports it
 * statically, not even its types: it is loaded here with a real dynamic `import()` of a variable
 * specifier, and the few shapes Parley relies on are declared structurally below (the same way
 * janus/janode.ts loads janode). RTP parameters and capabilities use mediasoup-client's types,
 * which describe the same objects (the client is an ordinary dependency).
 */
import type { DtlsParameters, IceCandidate, IceParameters, RtpCapabilities, RtpParameters } from 'mediasoup-client/types';

export type { DtlsParameters, IceCandidate, IceParameters, RtpCapabilities, RtpParameters };

type Listener = (...args: never[]) => void;

interface Emitter {
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
}

export type AppData = Record<string, unknown>;

export interface MsProducer extends Emitter {
  id: string;
  kind: 'audio' | 'video';
  /** What it receives: one encoding per simulcast layer, lowest first. */
  rtpParameters: RtpParameters;
  closed: boolean;
  appData: AppData;
  close(): void;
}

export interface MsConsumer extends Emitter {
  id: string;
  kind: 'audio' | 'video';
  producerId: string;
  rtpParameters: RtpParameters;
  /** `simulcast` when its producer sends layers: what it forwards follows its preferred layers. */
  type: 'simple' | 'simulcast' | 'svc' | 'pipe';
  closed: boolean;
  paused: boolean;
  /** How well the stream reaches its receiver, 0–10, from the receiver's reports (10: nothing lost). */
  score: { score: number; producerScore: number };
  close(): void;
  resume(): Promise<void>;
  requestKeyFrame(): Promise<void>;
  setPreferredLayers(p: { spatialLayer: number; temporalLayer?: number }): Promise<void>;
}

export interface MsWebRtcTransport extends Emitter {
  id: string;
  closed: boolean;
  appData: AppData;
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
  iceState: string;
  dtlsState: string;
  connect(p: { dtlsParameters: DtlsParameters }): Promise<void>;
  produce(p: { kind: 'audio' | 'video'; rtpParameters: RtpParameters; appData?: AppData }): Promise<MsProducer>;
  consume(p: {
    producerId: string;
    rtpCapabilities: RtpCapabilities;
    paused?: boolean;
    preferredLayers?: { spatialLayer: number };
    appData?: AppData;
  }): Promise<MsConsumer>;
  setMaxIncomingBitrate(bitrate: number): Promise<void>;
  close(): void;
  dump(): Promise<{ producerIds: string[]; consumerIds: string[] }>;
  getStats(): Promise<
    { bytesReceived: number; rtpBytesReceived: number; bytesSent: number; rtpBytesSent: number; maxIncomingBitrate?: number }[]
  >;
}

export interface MsRtpObserver extends Emitter {
  id: string;
  closed: boolean;
  addProducer(p: { producerId: string }): Promise<void>;
  removeProducer(p: { producerId: string }): Promise<void>;
  close(): void;
}

export interface MsRouter extends Emitter {
  id: string;
  /** 'close' once the router is gone (closed, or its worker closed or died). */
  observer: Emitter;
  closed: boolean;
  appData: AppData;
  rtpCapabilities: RtpCapabilities;
  createWebRtcTransport(p: {
    listenInfos: {
      protocol: 'udp' | 'tcp';
      ip: string;
      announcedAddress?: string;
      portRange?: { min: number; max: number };
    }[];
    enableUdp?: boolean;
    enableTcp?: boolean;
    preferUdp?: boolean;
    initialAvailableOutgoingBitrate?: number;
    appData?: AppData;
  }): Promise<MsWebRtcTransport>;
  createAudioLevelObserver(p: { maxEntries?: number; threshold?: number; interval?: number }): Promise<MsRtpObserver>;
  createActiveSpeakerObserver(p: { interval?: number }): Promise<MsRtpObserver>;
  canConsume(p: { producerId: string; rtpCapabilities: RtpCapabilities }): boolean;
  close(): void;
  dump(): Promise<{ id: string; transportIds: string[]; mapProducerIdConsumerIds: { key: string; values: string[] }[] }>;
}

export interface MsWorker extends Emitter {
  pid: number;
  closed: boolean;
  died: boolean;
  appData: AppData;
  /** 'newrouter' for every router made on this worker (the routers themselves, whoever holds them). */
  observer: Emitter;
  createRouter(p: {
    mediaCodecs: {
      kind: 'audio' | 'video';
      mimeType: string;
      clockRate: number;
      channels?: number;
      parameters?: Record<string, unknown>;
    }[];
    appData?: AppData;
  }): Promise<MsRouter>;
  dump(): Promise<{ pid: number; routerIds: string[] }>;
  close(): void;
}

export interface Mediasoup {
  version: string;
  createWorker(p: { logLevel?: 'debug' | 'warn' | 'error' | 'none'; appData?: AppData }): Promise<MsWorker>;
}

let loaded: Promise<Mediasoup> | null = null;

/** Loads mediasoup once per process; rejects with a sentence when it is not installed. */
export function loadMediasoup(): Promise<Mediasoup> {
  loaded ??= (async () => {
    const name = 'mediasoup';
    const m = (await import(name)) as Mediasoup & { default?: Mediasoup };
    const lib = typeof m.createWorker === 'function' ? m : m.default;
    if (!lib || typeof lib.createWorker !== 'function') throw new Error('the mediasoup module has no createWorker');
    return lib;
  })().catch((e: unknown) => {
    loaded = null;
    const code = (e as { code?: unknown } | null)?.code;
    const notThere = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
    throw new MediasoupMissing(notThere ? null : e instanceof Error ? e.message : String(e));
  });
  return loaded;
}

/**
 * mediasoup cannot be had: not installed (an optional dependency npm left out, not a fault), or
 * installed but failing to load (`why`).
 */
export class MediasoupMissing extends Error {
  constructor(readonly why: string | null) {
    super(why ? `mediasoup does not load: ${why.split('\n')[0]}` : 'mediasoup not installed (optional dependency)');
    this.name = 'MediasoupMissing';
  }
}
