import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { currentClientEvent, type Ack, type ClientToServerEvents } from '@parley/contracts';
import {
  APP_CONFIG,
  Clock,
  DomainError,
  InFlight,
  RateLimits,
  checkInput,
  rateLimited,
  retryAfterSeconds,
  toApiError,
  type AppConfig,
  type Limiter,
} from '@parley/platform';
import { assertSocketQuota } from '../../domain';
import { SocketBudget, type BudgetRule } from './socket-budget';
import { Lane, type Job } from './socket-lane';
import type { SocketData } from './socket-io.channel';

export type ParleySocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;
export type SocketRoute = (socket: ParleySocket, payload: unknown) => Promise<Ack<unknown>>;

/** How long an account whose socket flooded opens no new socket on this instance. */
export const FLOOD_PENALTY_MS = 10_000;

/** RATE_LIMITED, built without an Error (no stack to capture): a refusal costs microseconds. */
function refusal(retryAfterMs: number): Ack<never> {
  const seconds = retryAfterSeconds(retryAfterMs);
  return {
    ok: false,
    error: { code: 'RATE_LIMITED', message: `Too many requests: try again in ${seconds} s.`, details: { retryAfterSeconds: seconds } },
  };
}

export interface RouteOptions {
  /**
   * The route answers a socket whose access token has expired (auth.renew, which renews it). Such
   * a route also spends no budget: a renewal is never refused for being one request too many.
   */
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
 *
 * Before anything else, every event spends a point of its socket's budget (in memory, see
 * SocketBudget) and then of its account's (RateLimits: shared by every instance when Redis is set);
 * a refusal is RATE_LIMITED with `details.retryAfterSeconds` and nothing is done. So is an event
 * of a socket that already has SOCKET_WAITING_REQUESTS waiting their turn (see Lane). A socket that
 * keeps sending into refusals is disconnected. The router also counts each account's open sockets
 * on this instance, for the handshake's quota (assertMayConnect).
 */
@Injectable()
export class SocketRouter {
  private readonly logger = new Logger('SocketRouter');
  private readonly routes = new Map<string, { route: SocketRoute; options: RouteOptions }>();
  /** Requests received and not answered yet (a graceful stop waits for them). */
  private readonly inFlight = new InFlight();
  private stopping = false;
  private readonly budget: BudgetRule;
  private readonly accountBudget: Limiter;
  /** Open sockets per account, on this instance. */
  private readonly open = new Map<string, number>();
  /** Accounts whose socket was disconnected for flooding, and until when they open no other here. */
  private readonly penalised = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly limits: RateLimits,
  ) {
    const { burst, perSecond, accountPerMinute, floodRefusals } = config.socketBudget;
    this.budget = { burst, perSecond, floodRefusals };
    this.accountBudget = limits.limiter('socket-events', { points: accountPerMinute, durationSeconds: 60 });
  }

  on(event: keyof ClientToServerEvents, route: SocketRoute, options: RouteOptions = {}): void {
    if (this.routes.has(event)) throw new Error(`socket route ${event} registered twice`);
    this.routes.set(event, { route, options });
  }

  /**
   * Refuses a new socket of an account that already holds its quota of open sockets on this
   * instance (QUOTA_EXCEEDED), or whose socket was disconnected for flooding less than
   * FLOOD_PENALTY_MS ago (RATE_LIMITED: reconnecting would start a fresh budget). The handshake
   * asks before it reads the database, and again just before the socket connects and is attached.
   */
  assertMayConnect(userId: string): void {
    const until = this.penalised.get(userId);
    if (until !== undefined) {
      const wait = until - this.clock.now();
      if (wait > 0) throw rateLimited(wait);
      this.penalised.delete(userId);
    }
    assertSocketQuota(this.open.get(userId) ?? 0, this.config.quotas.socketsPerAccount);
  }

  attach(socket: ParleySocket): void {
    const { userId } = socket.data;
    this.open.set(userId, (this.open.get(userId) ?? 0) + 1);
    const budget = new SocketBudget(this.budget, this.clock.now());
    const lane = new Lane(this.config.socketBudget.concurrent, this.config.socketBudget.waiting);
    socket.once('disconnect', () => {
      lane.close();
      const left = (this.open.get(userId) ?? 1) - 1;
      if (left > 0) this.open.set(userId, left);
      else this.open.delete(userId);
    });
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
      const entry = this.routes.get(currentClientEvent(event));
      const exempt = entry?.options.acceptsExpiredToken === true;
      if (!exempt) {
        const now = this.clock.now();
        // Too many unanswered already: refused without spending, as if out of budget for a second.
        const spent = lane.hasRoom ? budget.spend(now) : { ok: false as const, retryAfterMs: 1_000, flooding: budget.refused(now) };
        if (!spent.ok) {
          (ack as (r: Ack<never>) => void)(refusal(spent.retryAfterMs));
          if (spent.flooding) this.disconnectFlooder(socket);
          return;
        }
      }
      const payload = args.length > 1 ? args[0] : undefined;
      this.inFlight.begin();
      const job: Job = {
        run: () =>
          this.dispatch(socket, entry, payload)
            .then((r) => (ack as (r: Ack<unknown>) => void)(r))
            .finally(() => this.inFlight.end()),
        drop: () => this.inFlight.end(),
      };
      if (exempt) void job.run();
      else lane.run(job);
    });
  }

  /**
   * Still sending after `floodRefusals` refusals: each refusal is still a packet to read and answer,
   * so the socket is closed (its account named in the log) and the account opens no new socket
   * here for FLOOD_PENALTY_MS.
   */
  private disconnectFlooder(socket: ParleySocket): void {
    if (!socket.connected) return;
    this.penalised.set(socket.data.userId, this.clock.now() + FLOOD_PENALTY_MS);
    this.logger.warn(`socket ${socket.id} of account ${socket.data.userId} disconnected: it kept sending into its refusals`);
    socket.disconnect(true);
  }

  private dispatch(
    socket: ParleySocket,
    entry: { route: SocketRoute; options: RouteOptions } | undefined,
    payload: unknown,
  ): Promise<Ack<unknown>> {
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
    if (entry.options.acceptsExpiredToken) return entry.route(socket, payload);
    // The account's budget, shared by its sockets (and by every instance through Redis).
    return this.limits.consume(this.accountBudget, socket.data.userId).then(
      () => entry.route(socket, payload),
      (e: unknown) => ({ ok: false, error: toApiError(e) }),
    );
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
