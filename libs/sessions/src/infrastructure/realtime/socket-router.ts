import { Injectable } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { currentClientEvent, type Ack, type ClientToServerEvents } from '@parley/contracts';
import { Clock, DomainError, InFlight, checkInput, toApiError } from '@parley/platform';
import type { SocketData } from './socket-io.channel';

export type ParleySocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;
export type SocketRoute = (socket: ParleySocket, payload: unknown) => Promise<Ack<unknown>>;

export interface RouteOptions {
  /** The route answers a socket whose access token has expired (auth.renew, which renews it). */
  acceptsExpiredToken?: boolean;
}

/**
 * One listener per socket dispatches every client event to its route. Nest's @SubscribeMessage
 * bindings build an RxJS pipeline per handler per socket: with 13 events that was 112 KB per
 * connected participant in bench/control-plane.js, 51 KB with this table. Every event must carry
 * an acknowledgement callback; an unknown event is answered UNKNOWN_EVENT. The router checks first
 * that the handshake's token has not expired since, by the injected clock: TOKEN_EXPIRED otherwise.
 * A name of the previous release (`session.changeStatus`) is answered as its new name
 * (`session.change-status`), quietly, until the next release (DEPRECATED_CLIENT_EVENTS).
 */
@Injectable()
export class SocketRouter {
  private readonly routes = new Map<string, { route: SocketRoute; options: RouteOptions }>();
  /** Requests received and not answered yet (a graceful stop waits for them). */
  private readonly inFlight = new InFlight();
  private stopping = false;

  constructor(private readonly clock: Clock) {}

  on(event: keyof ClientToServerEvents, route: SocketRoute, options: RouteOptions = {}): void {
    if (this.routes.has(event)) throw new Error(`socket route ${event} registered twice`);
    this.routes.set(event, { route, options });
  }

  attach(socket: ParleySocket): void {
    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = args[args.length - 1];
      if (typeof ack !== 'function') return;
      if (this.stopping) {
        (ack as (r: Ack<never>) => void)({
          ok: false,
          error: { code: 'SERVER_STOPPING', message: 'This server is stopping: send it again once reconnected.', retryable: true },
        });
        return;
      }
      const payload = args.length > 1 ? args[0] : undefined;
      const answer = this.dispatch(socket, event, payload);
      this.inFlight.begin();
      void answer.then((r) => (ack as (r: Ack<unknown>) => void)(r)).finally(() => this.inFlight.end());
    });
  }

  private dispatch(socket: ParleySocket, event: string, payload: unknown): Promise<Ack<unknown>> {
    const entry = this.routes.get(currentClientEvent(event));
    if (!entry) return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_EVENT', message: 'No such event.' } });
    if (!entry.options.acceptsExpiredToken && this.clock.now() >= socket.data.tokenExpiresAt) {
      return Promise.resolve({
        ok: false,
        error: toApiError(new DomainError('TOKEN_EXPIRED', 'The access token has expired; reconnect with a renewed one.')),
      });
    }
    try {
      // The same rule as HTTP bodies, for every event: depth, NUL, lone surrogates, prototype keys.
      checkInput(payload);
    } catch (e) {
      return Promise.resolve({ ok: false, error: toApiError(e) });
    }
    return entry.route(socket, payload);
  }

  /** Requests received and not answered yet. */
  get requestsInFlight(): number {
    return this.inFlight.size;
  }

  /**
   * A graceful stop: from now on every request is answered SERVER_STOPPING (retryable, nothing
   * done). Resolves true once every request received before is answered, false after `ms`.
   */
  drain(ms: number): Promise<boolean> {
    this.stopping = true;
    return this.inFlight.whenIdle(ms);
  }
}
