import { Injectable } from '@nestjs/common';
import type { Socket } from 'socket.io';
import type { Ack, ClientToServerEvents } from '@parley/contracts';
import { InFlight } from '@parley/platform';
import type { SocketData } from './socket-io.channel';

export type ParleySocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;
export type SocketRoute = (socket: ParleySocket, payload: unknown) => Promise<Ack<unknown>>;

/**
 * One listener per socket dispatches every client event to its route. Nest's @SubscribeMessage
 * bindings build an RxJS pipeline per handler per socket: with 13 events that was 112 KB per
 * connected participant in bench/control-plane.js, 51 KB with this table. Every event must carry
 * an acknowledgement callback; an unknown event is answered UNKNOWN_EVENT.
 */
@Injectable()
export class SocketRouter {
  private readonly routes = new Map<string, SocketRoute>();
  /** Requests received and not answered yet (a graceful stop waits for them). */
  private readonly inFlight = new InFlight();
  private stopping = false;

  on(event: keyof ClientToServerEvents, route: SocketRoute): void {
    if (this.routes.has(event)) throw new Error(`socket route ${event} registered twice`);
    this.routes.set(event, route);
  }

  attach(socket: ParleySocket): void {
    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = args[args.length - 1];
      if (typeof ack !== 'function') return;
      if (this.stopping) {
        (ack as (r: Ack<never>) => void)({ ok: false, error: { code: 'SERVER_STOPPING', message: 'This server is stopping: send it again once reconnected.', retryable: true } });
        return;
      }
      const payload = args.length > 1 ? args[0] : undefined;
      const route = this.routes.get(event);
      const answer = route
        ? route(socket, payload)
        : Promise.resolve<Ack<never>>({ ok: false, error: { code: 'UNKNOWN_EVENT', message: 'No such event.' } });
      this.inFlight.begin();
      void answer.then((r) => (ack as (r: Ack<unknown>) => void)(r)).finally(() => this.inFlight.end());
    });
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
