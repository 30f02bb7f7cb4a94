/**
 * janode (Meetecho's Janus client) is published as ES modules only, while Parley compiles to
 * CommonJS: it is loaded with a real dynamic `import()`, which TypeScript keeps as such under
 * `module: node16` (and jest runs with `--experimental-vm-modules`, so tests load it the same
 * way). The specifier is a variable so that TypeScript does not look for typings janode does not
 * ship; the few shapes Parley relies on are declared here instead.
 */

/** A Janus error as janode reports it: "<code> <reason>", plugin errors also carry `_code`. */
export interface JanodeError extends Error {
  _code?: number;
}

export interface JanodeJsep {
  type: 'offer' | 'answer';
  sdp: string;
  /** The order of a simulcast offer's rids: highest first (Janus' default) or lowest first. */
  rid_order?: 'hml' | 'lmh';
}

/** One stream of a publisher or a subscription, as the VideoRoom plugin describes it. */
export interface VideoRoomStream {
  type: 'audio' | 'video' | 'data';
  mindex: number;
  mid: string;
  disabled?: boolean;
  description?: string;
  feed_id?: number;
  feed_mid?: string;
  /** On a subscriber's stream: the description its publisher gave that m-line ('screen'). */
  feed_description?: string;
}

export interface VideoRoomHandle {
  id: number;
  feed: number | null;
  /** Sends a raw VideoRoom request; resolves with the raw Janus message. */
  message(body: Record<string, unknown>, jsep?: JanodeJsep): Promise<JanusMessage>;
  joinPublisher(p: {
    room: number;
    feed?: number;
    display?: string;
    token?: string;
    pin?: string;
  }): Promise<{ feed: number; private_id: number }>;
  publish(p: {
    bitrate?: number;
    descriptions?: { mid: string; description: string }[];
    jsep: JanodeJsep;
  }): Promise<{ jsep?: JanodeJsep; streams?: VideoRoomStream[] }>;
  configure(p: {
    bitrate?: number;
    streams?: { mid: string; send?: boolean }[];
    jsep?: JanodeJsep;
    /** On a publisher's handle: Janus sends a PLI for each of its video streams at once. */
    keyframe?: boolean;
  }): Promise<{ jsep?: JanodeJsep; streams?: VideoRoomStream[] }>;
  unpublish(): Promise<unknown>;
  joinSubscriber(p: {
    room: number;
    streams: { feed: number; mid?: string }[];
    private_id?: number;
    pin?: string;
  }): Promise<{ jsep?: JanodeJsep; streams?: VideoRoomStream[] }>;
  start(p: { jsep: JanodeJsep }): Promise<unknown>;
  leave(): Promise<unknown>;
  listParticipants(p: {
    room: number;
    secret?: string;
  }): Promise<{ participants: { feed: number; display?: string; publisher: boolean }[] }>;
  kick(p: { room: number; feed: number; secret?: string }): Promise<unknown>;
  destroy(p: { room: number; secret?: string }): Promise<unknown>;
  exists(p: { room: number }): Promise<{ exists: boolean }>;
  list(p?: { admin_key?: string }): Promise<{ list: { room: number; description: string }[] }>;
  allow(p: {
    room: number;
    action: 'enable' | 'disable' | 'add' | 'remove';
    list?: string[];
    secret?: string;
  }): Promise<{ list: string[] }>;
  detach(): Promise<void>;
  hangup(): Promise<unknown>;
  on(event: string, listener: (data: unknown) => void): this;
  once(event: string, listener: (data: unknown) => void): this;
}

/** A raw message from Janus (the answer to `message()`). */
export interface JanusMessage {
  janus: string;
  plugindata?: { plugin: string; data: Record<string, unknown> };
  jsep?: JanodeJsep;
}

export interface JanodeSession {
  id: number;
  attach(plugin: unknown): Promise<VideoRoomHandle>;
  destroy(): Promise<void>;
  once(event: string, listener: (data: unknown) => void): this;
}

export interface JanodeConnection {
  create(keepaliveSecs?: number): Promise<JanodeSession>;
  getInfo(): Promise<{ version_string?: string; name?: string; plugins?: Record<string, unknown> }>;
  close(): Promise<void>;
  once(event: string, listener: (data: unknown) => void): this;
}

export interface JanodeModule {
  connect(config: {
    address: { url: string; apisecret?: string };
    retry_time_secs?: number;
    max_retries?: number;
  }): Promise<JanodeConnection>;
  Logger: { setLevel(level: 'none' | 'error' | 'warning' | 'info' | 'verbose' | 'debug'): string };
  EVENT: {
    CONNECTION_CLOSED: string;
    CONNECTION_ERROR: string;
    SESSION_DESTROYED: string;
    HANDLE_DETACHED: string;
    HANDLE_HANGUP: string;
    HANDLE_WEBRTCUP: string;
    /** `{ uplink, media, mid, lost }`: the peer lost packets (asked again for them) over Janus' threshold in a second. */
    HANDLE_SLOWLINK: string;
  };
}

export interface Janode {
  janode: JanodeModule;
  /**
   * The VideoRoom plugin descriptor, for `session.attach()`. EVENT.VIDEOROOM_TALKING is emitted on
   * a joined publisher's handle with `{ room, feed, talking, mid, audio_level }`.
   */
  videoRoom: { id: string; EVENT: Record<string, string> & { VIDEOROOM_TALKING: string } };
}

let loaded: Promise<Janode> | null = null;

/** Loads janode once per process (ESM, through a real dynamic import). */
export function loadJanode(): Promise<Janode> {
  loaded ??= (async () => {
    const main = 'janode';
    const plugin = 'janode/plugins/videoroom';
    const [j, v] = (await Promise.all([import(main), import(plugin)])) as [
      JanodeModule & { default?: JanodeModule },
      { default: Janode['videoRoom'] },
    ];
    const janode = j.default ?? j;
    // janode logs every connection and handle at 'info' on the console, and a harmless error on
    // most detaches (Janus' "detached" event overtakes the reply); Parley logs what matters.
    janode.Logger.setLevel('none');
    return { janode, videoRoom: v.default };
  })().catch((e: unknown) => {
    loaded = null;
    throw new Error(`janode could not be loaded (npm install janode): ${e instanceof Error ? e.message : String(e)}`);
  });
  return loaded;
}

/** The Janus error code of a janode error ("433 Unauthorized…" → 433), or null. */
export function janusCodeOf(e: unknown): number | null {
  const err = e as JanodeError | null;
  if (typeof err?._code === 'number') return err._code;
  const m = /^(\d{3}) /.exec(err?.message ?? '');
  return m ? Number(m[1]) : null;
}
