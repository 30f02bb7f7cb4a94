import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { ClusterMessage, ClusterReply, MediaCluster, RoomClaim } from '../../application/media-cluster';
import { holderOf, orphansIn, ownerGone, ownerSilent, parseMessage, parseReply, replyOf } from '../../application/media-routing';

/**
 * The API instances sharing media through Redis.
 *
 * Ownership. `parley:media:rooms` maps each media room to "<owner> <sessionId>"; each instance
 * keeps `parley:media:alive:<id>` alive (PX 3000, refreshed every second) while it runs and deletes
 * it when it stops. An owner counts only while its key lives, so a claim (one Lua script: atomic)
 * keeps a live owner, takes a room whose owner is dead, and takes a free room: one owner per room
 * across instances. This is SET NX with a TTL, held per instance rather than per room (one key to
 * refresh however many rooms). Every instance sweeps once a second for rooms of dead owners; the
 * one whose compare-and-delete wins tells the room's session to join its media again.
 * `parley:media:seats` maps a participant to the instance holding their seat, the same way.
 *
 * Messages. Plain Redis pub/sub, one channel per instance and one for all, with our own
 * correlation ids and deadlines. Not Socket.IO's serverSideEmit: it goes to every instance and its
 * acknowledgement waits for all of them (bounded by the adapter's 3 s), where a request here goes
 * to one owner with its own bound; a PUBLISH that reaches no subscriber fails at once (the owner
 * is gone) instead of waiting for the deadline. The media library also stays out of the socket
 * server's internals.
 */
const ROOMS = 'parley:media:rooms';
const SEATS = 'parley:media:seats';
const ALIVE = 'parley:media:alive:';
const TO = 'parley:media:to:';
const ALL = 'parley:media:all';

export const CLUSTER_TIMING = {
  /** How long an instance counts as alive after its last heartbeat. */
  aliveMs: 3_000,
  heartbeatEveryMs: 1_000,
  sweepEveryMs: 1_000,
  /** A Redis command unanswered for this long fails (the request then answers MEDIA_UNAVAILABLE). */
  commandMs: 1_000,
} as const;

/** Keeps a live holder, else takes the room. Returns {owner, previous dead owner or ''}. */
const CLAIM = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur then
  local owner = string.match(cur, '^(%S+)')
  if owner == ARGV[2] then return {owner, ''} end
  if redis.call('EXISTS', ARGV[4] .. owner) == 1 then return {owner, ''} end
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ' ' .. ARGV[3])
  return {ARGV[2], owner}
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ' ' .. ARGV[3])
return {ARGV[2], ''}`;

/** Deletes the field if its value starts with ARGV[2] (an owner id) or equals it exactly (ARGV[3] = 'exact'). */
const RELEASE = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if not cur then return 0 end
if cur == ARGV[2] or (ARGV[3] ~= 'exact' and string.match(cur, '^(%S+)') == ARGV[2]) then
  return redis.call('HDEL', KEYS[1], ARGV[1])
end
return 0`;

/** The owner named by a hash field (KEYS[1], ARGV[1]) if it is this instance (ARGV[2]) or alive, else nil: one round trip. */
const LIVE_OWNER = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if not cur then return false end
local owner = string.match(cur, '^(%S+)')
if owner == ARGV[2] or redis.call('EXISTS', ARGV[3] .. owner) == 1 then return owner end
return false`;

type Wire = { id?: string; from: string; message?: unknown; re?: string; reply?: unknown };

export class RedisMediaCluster implements MediaCluster {
  readonly self = randomUUID();
  readonly shared = true;
  private readonly pending = new Map<string, { done: (r: ClusterReply) => void; timer: NodeJS.Timeout }>();
  private handler: ((m: ClusterMessage) => Promise<ClusterReply>) | null = null;
  private orphanListener: ((o: { roomId: string; sessionId: string; owner: string }) => void) | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  private closed = false;
  private readonly logger = new Logger('MediaCluster');

  private constructor(
    private readonly redis: Redis,
    private readonly sub: Redis,
  ) {}

  /** Connects and subscribes (waiting up to a few seconds; ioredis keeps trying after that). */
  static async start(url: string): Promise<RedisMediaCluster> {
    const retryStrategy = (attempt: number) => Math.min(100 * 2 ** Math.max(0, attempt - 1), 2_000);
    const redis = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: CLUSTER_TIMING.commandMs,
      connectTimeout: 2_000,
      retryStrategy,
    });
    const sub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null, connectTimeout: 2_000, retryStrategy });
    const cluster = new RedisMediaCluster(redis, sub);
    let down = false;
    for (const c of [redis, sub])
      c.on('error', (e: Error) => {
        if (!down) cluster.logger.warn(`Redis unreachable: media of rooms held by other instances is unavailable (${e.message})`);
        down = true;
      });
    redis.on('ready', () => {
      if (down) cluster.logger.log('Redis back: media rooms are shared across instances again');
      down = false;
      void cluster.heartbeat();
    });
    sub.on('messageBuffer', (_channel: Buffer, data: Buffer) => cluster.received(data.toString()));
    try {
      await Promise.all([redis.connect(), sub.connect()]);
      await sub.subscribe(TO + cluster.self, ALL);
      await cluster.heartbeat();
    } catch (e) {
      cluster.logger.warn(`Redis not reached at start (${(e as Error).message}): trying again in the background`);
      void sub.subscribe(TO + cluster.self, ALL).catch(() => undefined);
    }
    cluster.every(CLUSTER_TIMING.heartbeatEveryMs, () => cluster.heartbeat());
    cluster.every(CLUSTER_TIMING.sweepEveryMs, () => cluster.sweep());
    cluster.logger.log(`media instance ${cluster.self}: rooms shared through Redis`);
    return cluster;
  }

  private every(ms: number, f: () => Promise<void>): void {
    let running = false;
    const t = setInterval(() => {
      if (running || this.closed) return;
      running = true;
      f()
        .catch(() => undefined)
        .finally(() => (running = false));
    }, ms);
    t.unref();
    this.timers.push(t);
  }

  private async heartbeat(): Promise<void> {
    if (this.closed) return;
    await this.redis.set(ALIVE + this.self, '1', 'PX', CLUSTER_TIMING.aliveMs);
  }

  private async aliveOf(ids: string[]): Promise<Set<string>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Set();
    const exists = await this.redis.mget(unique.map((id) => ALIVE + id));
    return new Set(unique.filter((_, i) => exists[i] !== null));
  }

  /** Rooms and seats of dead instances: each orphan room reported once, by whichever instance deletes it. */
  private async sweep(): Promise<void> {
    const [rooms, seats] = await Promise.all([this.redis.hgetall(ROOMS), this.redis.hgetall(SEATS)]);
    const owners = [...Object.values(rooms).map((v) => holderOf(v)?.owner ?? ''), ...Object.values(seats)].filter(Boolean);
    const alive = await this.aliveOf(owners);
    alive.add(this.self);
    for (const orphan of orphansIn(rooms, alive)) {
      const deleted = await this.redis.eval(RELEASE, 1, ROOMS, orphan.roomId, orphan.stored, 'exact');
      if (deleted === 1) {
        this.logger.warn(`media room ${orphan.roomId} lost with instance ${orphan.owner}: its session joins its media again`);
        this.orphanListener?.(orphan);
      }
    }
    for (const [participantId, owner] of Object.entries(seats))
      if (!alive.has(owner)) await this.redis.eval(RELEASE, 1, SEATS, participantId, owner, 'exact');
  }

  async claim(roomId: string, sessionId: string): Promise<RoomClaim> {
    const [owner, previous] = (await this.redis.eval(CLAIM, 1, ROOMS, roomId, this.self, sessionId, ALIVE)) as [string, string];
    return { owner, tookOverFrom: previous || null };
  }

  async ownerOf(roomId: string): Promise<string | null> {
    return ((await this.redis.eval(LIVE_OWNER, 1, ROOMS, roomId, this.self, ALIVE)) as string | null) ?? null;
  }

  async holders(roomIds: string[]): Promise<Array<string | null>> {
    if (!roomIds.length) return [];
    const stored = await this.redis.hmget(ROOMS, ...roomIds);
    return stored.map((v) => (v ? (holderOf(v)?.owner ?? null) : null));
  }

  async release(roomId: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, ROOMS, roomId, this.self, 'owner');
  }

  async seatOwner(participantId: string): Promise<string | null> {
    return ((await this.redis.eval(LIVE_OWNER, 1, SEATS, participantId, this.self, ALIVE)) as string | null) ?? null;
  }

  async seatTaken(participantId: string): Promise<void> {
    await this.redis.hset(SEATS, participantId, this.self);
  }

  async seatFreed(participantId: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, SEATS, participantId, this.self, 'exact');
  }

  async call(instance: string, message: ClusterMessage, withinMs: number): Promise<ClusterReply> {
    const id = randomUUID();
    const answered = new Promise<ClusterReply>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, error: { code: 'MEDIA_UNAVAILABLE', message: ownerSilent(withinMs).message } });
      }, withinMs);
      this.pending.set(id, { done: resolve, timer });
    });
    let receivers: number;
    try {
      receivers = await this.redis.publish(TO + instance, JSON.stringify({ id, from: this.self, message } satisfies Wire));
    } catch {
      receivers = 0;
    }
    if (receivers === 0) {
      // Nobody listens on that instance's channel: it is gone (or Redis is), no point waiting.
      const p = this.pending.get(id);
      if (p) {
        clearTimeout(p.timer);
        this.pending.delete(id);
        p.done({ ok: false, error: { code: 'MEDIA_UNAVAILABLE', message: ownerGone().message } });
      }
    }
    return answered;
  }

  async broadcast(message: ClusterMessage): Promise<void> {
    await this.redis.publish(ALL, JSON.stringify({ from: this.self, message } satisfies Wire));
  }

  serve(handler: (message: ClusterMessage) => Promise<ClusterReply>): void {
    this.handler = handler;
  }

  onOrphaned(listener: (o: { roomId: string; sessionId: string; owner: string }) => void): void {
    this.orphanListener = listener;
  }

  private received(text: string): void {
    let wire: Wire;
    try {
      wire = JSON.parse(text) as Wire;
    } catch {
      return;
    }
    if (wire.re !== undefined) {
      const p = this.pending.get(wire.re);
      const reply = parseReply(wire.reply);
      if (!p || !reply) return;
      clearTimeout(p.timer);
      this.pending.delete(wire.re);
      p.done(reply);
      return;
    }
    if (wire.from === this.self || this.closed) return;
    const message = parseMessage(wire.message);
    const handler = this.handler;
    if (!message || !handler) {
      if (wire.id) void this.answer(wire, { ok: false, internal: 'message not understood' });
      return;
    }
    handler(message)
      .then(
        (data) => data,
        (error: unknown) => replyOf({ ok: false, error }),
      )
      .then((reply) => (wire.id ? this.answer(wire, reply) : undefined))
      .catch((e: Error) => this.logger.warn(`answering instance ${wire.from}: ${e.message}`));
  }

  private async answer(wire: Wire, reply: ClusterReply): Promise<void> {
    await this.redis.publish(TO + wire.from, JSON.stringify({ re: wire.id, from: this.self, reply } satisfies Wire));
  }

  /** Declares this instance gone: the others find its rooms orphaned at their next sweep. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.done({ ok: false, error: { code: 'MEDIA_UNAVAILABLE', message: 'This server is stopping: try again in a moment.' } });
      this.pending.delete(id);
    }
    await this.redis.del(ALIVE + this.self).catch(() => undefined);
    await Promise.all([this.redis, this.sub].map((c) => c.quit().catch(() => c.disconnect())));
  }
}
