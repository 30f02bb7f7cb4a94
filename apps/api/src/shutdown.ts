import { Logger, type INestApplication } from '@nestjs/common';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { InFlight } from '@parley/platform';
import { SocketRouter } from '@parley/sessions';
import type { RealtimeAdapter } from './realtime.adapter';

export interface DrainOptions {
  /** How long requests in flight (socket acknowledgements and HTTP) may take to finish. */
  graceMs: number;
  /** Told to every socket: reconnect after this long (another instance, or this one restarted). */
  reconnectAfterMs: number;
}

/**
 * A graceful stop (SIGTERM, SIGINT, or the process policy after an uncaught exception):
 * 1. stop accepting: the listening socket closes (new HTTP connections are refused), Socket.IO
 *    refuses new sockets, and a request arriving on an open socket is answered SERVER_STOPPING
 *    (retryable: the client sends it again once reconnected);
 * 2. wait, up to `graceMs`, for every request already accepted (socket acknowledgements, HTTP
 *    responses) — so a client holds the answer to everything it sent before it is told to go;
 * 3. tell this instance's sockets `server.stopping` ({ reconnectAfterMs }), then Nest closes the
 *    application: the gateways stop presence work, each socket's transport closes once what was
 *    sent to it has been flushed, the Redis clients quit, the SFU (a Janus Parley started stops)
 *    and the database close last (onApplicationShutdown);
 * 4. log one line when it begins and one "stopped" line with what it did.
 */
export class GracefulShutdown {
  private readonly logger = new Logger('Shutdown');
  private readonly httpInFlight = new InFlight();
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly app: INestApplication,
    private readonly realtime: RealtimeAdapter,
    private readonly options: DrainOptions,
  ) {}

  /** Counts HTTP requests until their response is finished (call before listen). */
  trackHttp(): this {
    const server = this.app.getHttpServer() as HttpServer;
    server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
      this.httpInFlight.begin();
      res.once('close', () => this.httpInFlight.end());
    });
    return this;
  }

  /** Starts the stop once; later calls get the same promise. */
  stop(reason: string): Promise<void> {
    this.stopping ??= this.run(reason);
    return this.stopping;
  }

  private async run(reason: string): Promise<void> {
    const began = Date.now();
    const server = this.app.getHttpServer() as HttpServer;
    const router = this.app.get(SocketRouter);
    const sockets = router.requestsInFlight;
    const http = this.httpInFlight.size;
    this.logger.log(
      `Stopping (${reason}): no new connections or requests; finishing ${sockets} socket and ${http} HTTP request(s) in flight (at most ${this.options.graceMs} ms)`,
    );
    server.close();
    server.closeIdleConnections();
    this.realtime.stopAccepting();

    const [socketsIdle, httpIdle] = await Promise.all([
      router.drain(this.options.graceMs),
      this.httpInFlight.whenIdle(this.options.graceMs),
    ]);
    if (!httpIdle) server.closeAllConnections();
    const told = this.realtime.announceStopping(this.options.reconnectAfterMs);
    await this.app.close();
    const late = [
      socketsIdle ? null : `${router.requestsInFlight} socket request(s)`,
      httpIdle ? null : `${this.httpInFlight.size} HTTP request(s)`,
    ].filter(Boolean);
    this.logger.log(
      `Stopped in ${Date.now() - began} ms: ${told} socket(s) told to reconnect after ${this.options.reconnectAfterMs} ms; ` +
        (late.length ? `cut off after the grace period: ${late.join(', ')}` : 'every request in flight was answered'),
    );
  }
}
