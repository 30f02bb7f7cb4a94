/**
 * How a media request finds the instance that executes it, and how requests and answers travel
 * between instances: plain functions, no I/O.
 */
import { VIDEO_LAYERS, type ErrorCode, type VideoLayer } from '@parley/contracts';
import { DomainError, isDomainError } from '@parley/platform';
import type { MediaKind } from '../domain/media-kind';
import type { ClusterMessage, ClusterReply } from './media-cluster';

export type MediaOp = 'join' | 'publish' | 'subscribe' | 'answer' | 'leave' | 'state' | 'take' | 'layer';

/** Who asks: the authenticated user and the session of their socket, nothing they claim besides. */
export interface Caller {
  userId: string;
  sessionId: string;
}

export interface MediaCommands {
  join: Caller & { audioOnly?: boolean };
  /** `channel`: an interpreter's interpretation channel (the language they interpret into). */
  publish: Caller & { offerSdp: string; kinds: MediaKind[]; channel?: string };
  subscribe: Caller & { feedIds?: string[] };
  answer: Caller & { answerSdp: string };
  leave: Caller;
  /** The publisher's microphone and camera, for the marks on their tile. */
  state: Caller & { micOn: boolean; cameraOn: boolean };
  /** An interpreter takes the active turn on their channel in their room (a handover). */
  take: Caller & { channel: string };
  /** The simulcast layer the subscriber receives of every camera in their room. */
  layer: Caller & { layer: VideoLayer };
}

/** A participant's request, forwarded to the owner of their room to be decided and executed there. */
export interface MediaCall<K extends MediaOp = MediaOp> {
  kind: 'call';
  op: K;
  cmd: MediaCommands[K];
}

/** Where a request goes: executed here, or sent to the room's owner. */
export type Route = { here: true } | { here: false; to: string };

/** A room without a live owner is this instance's to take (join) or to refuse (anything else: no seat). */
export function routeTo(owner: string | null, self: string): Route {
  return owner === null || owner === self ? { here: true } : { here: false, to: owner };
}

/** Thrown by an instance asked about a room it does not own (any more): ask `owner` instead. */
export class NotOwner extends Error {
  constructor(readonly owner: string) {
    super(`media room held by instance ${owner}`);
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';
const KINDS: readonly string[] = ['audio', 'video', 'screen'];

/**
 * The command of a forwarded request, keeping only the fields of that operation (as the
 * forwarding instance validated them), or null when it is not one. The owner decides everything
 * else from stored state.
 */
export function commandOf<K extends MediaOp>(op: K, raw: unknown): MediaCommands[K] | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (!isString(r.userId) || !isString(r.sessionId)) return null;
  const caller: Caller = { userId: r.userId, sessionId: r.sessionId };
  switch (op) {
    case 'join':
      if (r.audioOnly !== undefined && typeof r.audioOnly !== 'boolean') return null;
      return { ...caller, ...(r.audioOnly !== undefined ? { audioOnly: r.audioOnly } : {}) } as MediaCommands[K];
    case 'publish':
      if (!isString(r.offerSdp) || !Array.isArray(r.kinds) || !r.kinds.every((k) => isString(k) && KINDS.includes(k))) return null;
      if (r.channel !== undefined && !isString(r.channel)) return null;
      return {
        ...caller,
        offerSdp: r.offerSdp,
        kinds: r.kinds as MediaKind[],
        ...(r.channel !== undefined ? { channel: r.channel } : {}),
      } as MediaCommands[K];
    case 'subscribe':
      if (r.feedIds !== undefined && !(Array.isArray(r.feedIds) && r.feedIds.every(isString))) return null;
      return { ...caller, ...(r.feedIds !== undefined ? { feedIds: r.feedIds } : {}) } as MediaCommands[K];
    case 'answer':
      if (!isString(r.answerSdp)) return null;
      return { ...caller, answerSdp: r.answerSdp } as MediaCommands[K];
    case 'leave':
      return caller as MediaCommands[K];
    case 'state':
      if (typeof r.micOn !== 'boolean' || typeof r.cameraOn !== 'boolean') return null;
      return { ...caller, micOn: r.micOn, cameraOn: r.cameraOn } as MediaCommands[K];
    case 'take':
      if (!isString(r.channel)) return null;
      return { ...caller, channel: r.channel } as MediaCommands[K];
    case 'layer':
      if (!VIDEO_LAYERS.includes(r.layer as VideoLayer)) return null;
      return { ...caller, layer: r.layer } as MediaCommands[K];
    default:
      return null;
  }
}

const OPS: readonly string[] = ['join', 'publish', 'subscribe', 'answer', 'leave', 'state', 'take', 'layer'];

/** A message read from another instance, or null when it is not one this version knows. */
export function parseMessage(raw: unknown): ClusterMessage | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const m = raw as Record<string, unknown>;
  if (m.kind === 'call' && isString(m.op) && OPS.includes(m.op)) {
    const cmd = commandOf(m.op as MediaOp, m.cmd);
    return cmd ? { kind: 'call', op: m.op as MediaOp, cmd } : null;
  }
  if (m.kind === 'cut' && isString(m.sessionId) && isString(m.participantId) && (m.roomIdNow === null || isString(m.roomIdNow)))
    return { kind: 'cut', sessionId: m.sessionId, participantId: m.participantId, roomIdNow: m.roomIdNow };
  if (m.kind === 'finished' && isString(m.sessionId)) return { kind: 'finished', sessionId: m.sessionId };
  return null;
}

/** The answer an instance sends for what its handler returned or threw. */
export function replyOf(outcome: { ok: true; data: unknown } | { ok: false; error: unknown }): ClusterReply {
  if (outcome.ok) return { ok: true, data: outcome.data ?? null };
  const e = outcome.error;
  if (e instanceof NotOwner) return { ok: false, redirect: e.owner };
  if (isDomainError(e)) return { ok: false, error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) } };
  return { ok: false, internal: e instanceof Error ? e.message : String(e) };
}

/**
 * What the forwarding instance makes of an answer: the result, the owner's DomainError as if
 * thrown here, NotOwner to try the named instance, or a plain Error (the owner failed: INTERNAL,
 * as it would have been on one instance).
 */
export function resultOf(reply: ClusterReply): unknown {
  if (reply.ok) return reply.data;
  if ('redirect' in reply) throw new NotOwner(reply.redirect);
  if ('error' in reply) throw new DomainError(reply.error.code as ErrorCode, reply.error.message, reply.error.field);
  throw new Error(`the instance holding this media room failed: ${reply.internal}`);
}

/** A reply read from another instance, or null. */
export function parseReply(raw: unknown): ClusterReply | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (r.ok === true) return { ok: true, data: r.data ?? null };
  if (r.ok !== false) return null;
  if (isString(r.redirect)) return { ok: false, redirect: r.redirect };
  if (isString(r.internal)) return { ok: false, internal: r.internal };
  const e = r.error as Record<string, unknown> | undefined;
  if (e && isString(e.code) && isString(e.message))
    return { ok: false, error: { code: e.code, message: e.message, ...(isString(e.field) ? { field: e.field } : {}) } };
  return null;
}

/** The owner did not answer in time (dead, or stuck): retryable, as every MEDIA_UNAVAILABLE. */
export const ownerSilent = (ms: number): DomainError =>
  new DomainError('MEDIA_UNAVAILABLE', `The server holding this room's media did not answer within ${ms} ms: try again in a moment.`);

/** Nobody listens on the owner's channel any more: it stopped (its rooms are reset shortly). */
export const ownerGone = (): DomainError =>
  new DomainError('MEDIA_UNAVAILABLE', "The server holding this room's media is gone: join the media again in a moment.");

/** A room holder as stored: "<owner> <sessionId>". */
export const holderOf = (stored: string): { owner: string; sessionId: string } | null => {
  const [owner, sessionId, ...rest] = stored.split(' ');
  return owner && sessionId && !rest.length ? { owner, sessionId } : null;
};

/** The rooms whose owner is no longer alive, from the stored holders and the live instances. */
export function orphansIn(holders: Record<string, string>, alive: ReadonlySet<string>) {
  const out: Array<{ roomId: string; owner: string; sessionId: string; stored: string }> = [];
  for (const [roomId, stored] of Object.entries(holders)) {
    const h = holderOf(stored);
    if (h && !alive.has(h.owner)) out.push({ roomId, ...h, stored });
  }
  return out;
}
