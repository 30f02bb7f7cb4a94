import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { CorsOptions } from 'cors';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import type { SessionResync } from '@parley/contracts';
import { OriginPolicy, type AppConfig, type DependencyMonitor } from '@parley/platform';
import { createDegradableAdapter, guardPublish, reconnectDelay, REDIS_LINK, withDeadline, type FanoutLink } from './redis-fanout';

/** A server-side event between instances: "fan-out is back here, catch your clients up too". */
const FANOUT_RESTORED = 'parley:fanout-restored';

/**
 * Socket.IO with Parley's limits and, when REDIS_URL is set, the Redis adapter: room operations,
 * emits and fetchSockets then reach the sockets of every API instance.
 *
 * Redis may fail. Every client has an `error` listener and reconnects with a bounded backoff; a
 * probe (PING on both connections, with a deadline) declares an outage when Redis is gone or stops
 * answering, and its end when both connections answer again (the subscriber's PING is answered
 * after its re-subscriptions, so "up" means messages flow again). While Redis is away each
 * instance keeps serving its own sockets (local fan-out). When it returns, every instance tells its
 * sockets `session.resync` so clients read what they missed from history.
 *
 * It also carries the socket half of a graceful stop (see shutdown.ts): no new sockets, then
 * `server.stopping` to every socket of this instance, then each connection closed once flushed.
 */
export class RealtimeAdapter extends IoAdapter implements FanoutLink {
  private static readonly byApp = new WeakMap<object, RealtimeAdapter>();

  /** The adapter made for this application (main.ts drains through it). */
  static of(app: INestApplicationContext): RealtimeAdapter | undefined {
    return RealtimeAdapter.byApp.get(app);
  }

  private pub: Redis | null = null;
  private sub: Redis | null = null;
  private server: Server | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private probing = false;
  private closing = false;
  private stopping = false;

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
    private readonly dependencies: DependencyMonitor,
  ) {
    super(app);
    RealtimeAdapter.byApp.set(app, this);
  }

  async connectRedis(): Promise<void> {
    if (!this.config.redisUrl) {
      Logger.log('no Redis (REDIS_URL unset): this one instance serves every socket', 'Realtime');
      return;
    }
    const common = { lazyConnect: true, retryStrategy: reconnectDelay, connectTimeout: 2_000 };
    // The publisher fails fast while Redis is away (nothing queues up to be replayed stale later);
    // the subscriber queues its (re)subscriptions until it is connected.
    const pub = new Redis(this.config.redisUrl, {
      ...common,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: REDIS_LINK.answerWithinMs,
    });
    const sub = new Redis(this.config.redisUrl, { ...common, maxRetriesPerRequest: null });
    for (const [client, role] of [
      [pub, 'publisher'],
      [sub, 'subscriber'],
    ] as const) {
      client.on('error', (e: Error) => this.failed(e));
      client.on('close', () => this.failed(new Error(`${role} connection to Redis closed`)));
    }
    guardPublish(pub, (e) => this.failed(e));
    this.pub = pub;
    this.sub = sub;
    try {
      await withDeadline(Promise.all([pub.connect(), sub.connect()]), REDIS_LINK.answerWithinMs * 5, 'a connection');
      this.dependencies.up('redis');
      Logger.log(`Redis at ${hostOf(this.config.redisUrl)}: Socket.IO fan-out across instances`, 'Realtime');
    } catch (e) {
      // Start anyway: this instance serves its own sockets and joins the others when Redis is back.
      this.failed(e as Error);
    }
    this.probeTimer = setInterval(() => void this.probe(), REDIS_LINK.probeEveryMs);
    this.probeTimer.unref();
  }

  /** Redis usable for fan-out now (always true without Redis: there is nothing to fan out to). */
  available(): boolean {
    return !this.dependencies.isDown('redis');
  }

  /** Something Redis-side failed: the first failure begins the outage (logged once by the monitor). */
  failed(e: Error): void {
    if (this.closing || !this.pub) return;
    const cause =
      e.message === 'Command timed out' ? `Redis did not answer a command within ${REDIS_LINK.answerWithinMs} ms` : e.message || String(e);
    this.dependencies.down('redis', cause);
  }

  private async probe(): Promise<void> {
    const { pub, sub } = this;
    if (this.probing || this.closing || !pub || !sub) return;
    this.probing = true;
    try {
      if (pub.status !== 'ready' || sub.status !== 'ready')
        throw new Error(`Redis connection ${pub.status === 'ready' ? sub.status : pub.status}`);
      await Promise.all([
        withDeadline(pub.ping(), REDIS_LINK.answerWithinMs, 'PING'),
        withDeadline(sub.ping(), REDIS_LINK.answerWithinMs, 'PING on the subscriber connection'),
      ]);
      if (this.closing) return;
      if (this.dependencies.up('redis')) {
        this.resyncLocal();
        // Instances that came back earlier could not reach this one's sockets meanwhile, nor this one theirs.
        this.server?.serverSideEmit(FANOUT_RESTORED);
      }
    } catch (e) {
      this.failed(e as Error);
    } finally {
      this.probing = false;
    }
  }

  /** Every socket of this instance may have missed events from the others: it reads history again. */
  private resyncLocal(): void {
    const event: SessionResync = { reason: 'fanout_restored' };
    this.server?.local.emit('session.resync', event);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const origins = new OriginPolicy(this.config);
    // Nest's IoAdapter answers `any`; it is the socket.io Server it created.
    const server = super.createIOServer(port, {
      ...options,
      // Whatever a gateway asks for, the origins are the configured ones (long-polling's CORS).
      cors: (req: IncomingMessage, done: (e: Error | null, o: CorsOptions) => void) =>
        done(null, { origin: req.headers.origin !== undefined && origins.allows(req), credentials: true }),
      maxHttpBufferSize: this.config.bodyLimitBytes,
      pingInterval: 10_000,
      pingTimeout: 10_000,
    }) as Server;
    if (this.pub && this.sub) {
      server.adapter(createDegradableAdapter(this.pub, this.sub, this, 'parley') as never);
      server.on(FANOUT_RESTORED, () => {
        if (this.available()) this.resyncLocal();
      });
    }
    // A page of a foreign origin is refused at the handshake, before any event (a client without
    // Origin — not a browser — is not concerned: see OriginPolicy). Long-polling's CORS reflects
    // only an origin this check then accepts.
    // Over long-polling, socket.request is the handshake's request, whose connection may be closed
    // by the time the namespace is connected (its localPort then reads undefined, and the loopback
    // origin of the port was refused): the port is the one this server listens on.
    const listening = () => (server.httpServer?.address() as AddressInfo | null)?.port;
    server.use((socket, next) => {
      const { headers, socket: conn } = socket.request;
      if (origins.allows({ headers, socket: { localPort: conn?.localPort ?? listening() } })) return next();
      const message = 'Connections from this origin are not accepted.';
      next(Object.assign(new Error(message), { data: { code: 'ORIGIN_FORBIDDEN', message } }));
    });
    server.use((_socket, next) => {
      if (!this.stopping) return next();
      next(
        Object.assign(new Error('This server is stopping: connect again in a moment.'), {
          data: { code: 'SERVER_STOPPING', message: 'This server is stopping: connect again in a moment.', retryable: true },
        }),
      );
    });
    this.server = server;
    return server;
  }

  /** The socket half of a graceful stop: refuse new sockets from now on (SocketRouter refuses new requests). */
  stopAccepting(): void {
    this.stopping = true;
  }

  /**
   * Closes every connection of this instance once what was sent to it is flushed (Socket.IO's own
   * close discards the write buffers): `server.stopping` reaches the client before the close,
   * which the client sees as a transport close and reconnects after.
   */
  private async closeTransports(server: Server, ms: number): Promise<void> {
    type Conn = { readyState: string; once(e: 'close', f: () => void): void; close(discard?: boolean): void };
    const conns = Object.values((server.engine as unknown as { clients: Record<string, Conn> }).clients);
    const closed = conns.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.readyState === 'closed') return resolve();
          c.once('close', () => resolve());
          c.close(false);
        }),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(closed),
      new Promise((r) => {
        timer = setTimeout(r, ms);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Tells this instance's sockets (only) to reconnect after a delay. */
  announceStopping(reconnectAfterMs: number): number {
    if (!this.server) return 0;
    this.server.local.emit('server.stopping', { reconnectAfterMs });
    return this.server.engine.clientsCount;
  }

  override async close(server: Server): Promise<void> {
    this.closing = true;
    if (this.probeTimer) clearInterval(this.probeTimer);
    if (this.stopping) await this.closeTransports(server, 2_000);
    await super.close(server);
    const clients = [this.pub, this.sub].filter((c) => c !== null);
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
  }
}

/** host:port of a Redis URL, for the log (never its password). */
function hostOf(url: string): string {
  return new URL(url).host;
}
