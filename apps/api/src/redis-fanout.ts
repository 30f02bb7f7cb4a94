import { RedisAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { BroadcastOptions } from 'socket.io-adapter';

/**
 * Redis as a dependency that may fail, for Socket.IO fan-out between API instances. Measured
 * before this existed: without an `error` listener on the ioredis clients, and with the adapter's
 * un-caught `publish` rejections, a Redis outage under traffic ended every instance (unhandled
 * rejection) about 0.4 s after Redis stopped.
 */

/** How the link to Redis is kept and judged. */
export const REDIS_LINK = {
  /** A probe (PING on both connections) runs this often. */
  probeEveryMs: 1_000,
  /** A command or probe unanswered for this long counts as an outage (a Redis that hangs is down). */
  answerWithinMs: 1_000,
  /** Requests that wait for the other instances (fetchSockets, allRooms, serverSideEmit with ack). */
  requestsTimeoutMs: 3_000,
  /** Reconnect backoff: 100 ms, 200 ms, … capped here. */
  reconnectCeilingMs: 2_000,
} as const;

/** ioredis reconnects forever, with a bounded backoff: an outage ends when Redis is back, not when we gave up. */
export const reconnectDelay = (attempt: number): number => Math.min(100 * 2 ** Math.max(0, attempt - 1), REDIS_LINK.reconnectCeilingMs);

/** Rejects with `Redis did not answer within N ms` when `work` has not settled by then. */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer ${what} within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * The adapter publishes without awaiting (`this.pubClient.publish(…)` in broadcast, addSockets,
 * delSockets, serverSideEmit…): each of those promises gets a handler here, so a failed publish
 * is reported instead of becoming an unhandled rejection.
 */
export function guardPublish(client: Redis, failed: (e: Error) => void): void {
  const publish = client.publish.bind(client) as (...args: unknown[]) => Promise<number>;
  (client as unknown as { publish: (...args: unknown[]) => Promise<number | null> }).publish = (...args: unknown[]) => {
    try {
      return publish(...args).catch((e: Error) => {
        failed(e);
        return null;
      });
    } catch (e) {
      failed(e as Error);
      return Promise.resolve(null);
    }
  };
}

/**
 * The Redis adapter that falls back to this instance while Redis is away: broadcasts, room
 * changes and socket queries reach the local sockets only (each instance keeps serving its own),
 * and nothing waits on a Redis that does not answer. Cross-instance requests that fail on the
 * way report the outage and answer with what this instance knows.
 */
export class DegradableRedisAdapter extends RedisAdapter {
  /** Set by the factory below (the adapter is built by Socket.IO per namespace). */
  link!: FanoutLink;

  private localOnly(opts: BroadcastOptions | undefined): BroadcastOptions {
    return { ...(opts as BroadcastOptions), flags: { ...(opts?.flags ?? {}), local: true } };
  }

  override broadcast(packet: unknown, opts: BroadcastOptions): void {
    super.broadcast(packet, this.link.available() ? opts : this.localOnly(opts));
  }

  override broadcastWithAck(packet: unknown, opts: BroadcastOptions, count: (n: number) => void, ack: (...args: unknown[]) => void): void {
    super.broadcastWithAck(packet, this.link.available() ? opts : this.localOnly(opts), count, ack);
  }

  override addSockets(opts: BroadcastOptions, rooms: string[]): void {
    super.addSockets(this.link.available() ? opts : this.localOnly(opts), rooms);
  }

  override delSockets(opts: BroadcastOptions, rooms: string[]): void {
    super.delSockets(this.link.available() ? opts : this.localOnly(opts), rooms);
  }

  override disconnectSockets(opts: BroadcastOptions, close: boolean): void {
    super.disconnectSockets(this.link.available() ? opts : this.localOnly(opts), close);
  }

  override async fetchSockets(opts: BroadcastOptions): Promise<unknown[]> {
    if (!this.link.available()) return super.fetchSockets(this.localOnly(opts));
    try {
      const sockets: unknown[] = await super.fetchSockets(opts);
      return sockets;
    } catch (e) {
      this.link.failed(e as Error);
      return super.fetchSockets(this.localOnly(opts));
    }
  }

  override async allRooms(): Promise<Set<string>> {
    if (this.link.available()) {
      try {
        return await super.allRooms();
      } catch (e) {
        this.link.failed(e as Error);
      }
    }
    return new Set(this.rooms.keys());
  }

  override serverSideEmit(packet: unknown[]): void {
    if (!this.link.available()) {
      const ack = packet[packet.length - 1];
      if (typeof ack === 'function')
        (ack as (e: Error, r: unknown[]) => void)(new Error('Redis unavailable: no other instance reached'), []);
      return;
    }
    super.serverSideEmit(packet);
  }

  override async serverCount(): Promise<number> {
    if (!this.link.available()) return 1;
    return withDeadline(super.serverCount(), REDIS_LINK.answerWithinMs, 'PUBSUB NUMSUB');
  }
}

/** What the adapter asks of the link: is Redis usable now, and where to report a failure. */
export interface FanoutLink {
  available(): boolean;
  failed(e: Error): void;
}

export function createDegradableAdapter(pub: Redis, sub: Redis, link: FanoutLink, key: string) {
  // Socket.IO calls it with `new`: a plain function, not an arrow.
  return function degradableAdapter(nsp: unknown) {
    const adapter = new DegradableRedisAdapter(nsp, pub, sub, { key, requestsTimeout: REDIS_LINK.requestsTimeoutMs });
    adapter.link = link;
    return adapter;
  };
}
