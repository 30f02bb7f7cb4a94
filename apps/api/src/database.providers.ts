import {
  BeforeApplicationShutdown,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
  type DynamicModule,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DependencyMonitor, TypeOrmUnitOfWork, UnitOfWork, databaseFailureCause, type DatabaseHandle } from '@parley/platform';

export const DATABASE_KIND = Symbol('DATABASE_KIND');
const DATABASE_HANDLE = Symbol('DATABASE_HANDLE');
/** How often a database known to be down is asked again, so its outage ends without waiting for traffic. */
export const DATABASE_PROBE_INTERVAL = Symbol('DATABASE_PROBE_INTERVAL');

/** How long SELECT 1 may take before the database counts as not answering. */
const PROBE_TIMEOUT_MS = 2000;

export type ProbeResult = { up: true; latencyMs: number } | { up: false; cause: string };

/**
 * The database's place in the DependencyMonitor. The pool reports what it sees (a refused or cut
 * connection begins an outage; a connection made since ends it); readiness asks SELECT 1 and
 * reports the answer; and while the database is down, SELECT 1 is asked every few seconds, so the
 * outage ends (and is logged once, with its duration) as soon as PostgreSQL is back, not at the
 * next request. Nothing else polls: when the database is up this costs nothing.
 */
@Injectable()
export class DatabaseWatch implements OnModuleInit, BeforeApplicationShutdown {
  private readonly stops: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(DATABASE_HANDLE) private readonly handle: DatabaseHandle,
    private readonly monitor: DependencyMonitor,
    @Inject(DATABASE_PROBE_INTERVAL) private readonly probeEveryMs: number,
  ) {}

  onModuleInit(): void {
    this.stops.push(
      this.handle.connectivity.watch({
        unreachable: (cause) => this.monitor.down('database', cause),
        reachable: () => this.monitor.up('database'),
      }),
    );
    this.stops.push(
      this.monitor.onChange((name, state) => {
        if (name === 'database') this.probeWhileDown(state.status === 'down');
      }),
    );
    if (this.monitor.isDown('database')) this.probeWhileDown(true);
  }

  /** Before the pool closes, so no probe meets a closed pool. */
  beforeApplicationShutdown(): void {
    this.probeWhileDown(false);
    this.stops.splice(0).forEach((stop) => stop());
  }

  /** SELECT 1 within a bound; the answer goes to the monitor. */
  async probe(): Promise<ProbeResult> {
    const started = process.hrtime.bigint();
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.handle.dataSource.query('SELECT 1'),
        new Promise((_, reject) => {
          timeout = setTimeout(() => reject(new Error(`no answer to SELECT 1 within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
        }),
      ]);
    } catch (e) {
      const cause = databaseFailureCause(e) ?? (e instanceof Error ? e.message : String(e));
      this.monitor.down('database', cause);
      return { up: false, cause };
    } finally {
      clearTimeout(timeout);
    }
    this.monitor.up('database');
    return { up: true, latencyMs: Number(process.hrtime.bigint() - started) / 1e6 };
  }

  private probeWhileDown(down: boolean): void {
    if (down && !this.timer) {
      this.timer = setInterval(() => void this.probe(), this.probeEveryMs);
      this.timer.unref();
    } else if (!down && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}

class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(private readonly handle: DatabaseHandle) {}
  async onApplicationShutdown(): Promise<void> {
    await this.handle.close();
  }
}

/** Provides the already-opened (and migrated) DataSource to every context, watches it, and closes it last. */
@Global()
@Module({})
export class DatabaseModule {
  static register(handle: DatabaseHandle, probeEveryMs = 2000): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_HANDLE, useValue: handle },
        { provide: DataSource, useValue: handle.dataSource },
        { provide: UnitOfWork, useClass: TypeOrmUnitOfWork },
        { provide: DATABASE_KIND, useValue: handle.kind },
        { provide: DATABASE_PROBE_INTERVAL, useValue: probeEveryMs },
        DatabaseWatch,
        { provide: DatabaseLifecycle, inject: [DATABASE_HANDLE], useFactory: (h: DatabaseHandle) => new DatabaseLifecycle(h) },
      ],
      exports: [DataSource, UnitOfWork, DATABASE_KIND, DatabaseWatch],
    };
  }
}
