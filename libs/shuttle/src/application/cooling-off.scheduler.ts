import { Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { AuditTrail } from '@parley/audit';
import { Clock, UnitOfWork, databaseFailureCause } from '@parley/platform';
import { SessionDirectory, statusAllows, statusesAllowing } from '@parley/sessions';
import { releaseFact } from '../domain';
import { RoomStreams } from './room-streams';
import { ShuttlePublisher, type ShuttleChange } from './shuttle-publisher';
import { ShuttleStore } from './shuttle-store';
import { recordMessageState } from './shuttle-views';

const RELEASABLE = statusesAllowing('shuttleRelease');

/**
 * Releases messages whose cooling-off period is over into the mediator's queue. One wake-up of the
 * injected clock, set for the earliest release (the clock's time is also what "over" compares
 * with); at start-up it picks up what was cooling when the process stopped.
 * Several API instances may race for a message: `FOR UPDATE SKIP LOCKED` gives each to one.
 *
 * A release obeys the session's status (the lifecycle table's `shuttleRelease`: every status but
 * closed). A message still cooling when its session closes is left as it is — `cooling`, stored,
 * its submission audited — and never enters a closed session's queue: both reads of the store
 * (`lockDueForRelease`, `nextRelease`) leave closed sessions out, so the timer does not spin on
 * messages it will never release. The session rows are then read `FOR SHARE`, which waits for a
 * status change under way: a close that commits while a release is being decided is seen, and the
 * message stays where it was.
 */
@Injectable()
export class CoolingOffScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CoolingOff');
  private cancelWake: (() => void) | null = null;
  private nextAt = Infinity;
  private stopped = false;
  private running: Promise<void> | null = null;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly store: ShuttleStore,
    private readonly directory: SessionDirectory,
    private readonly streams: RoomStreams,
    private readonly audit: AuditTrail,
    private readonly publisher: ShuttlePublisher,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.releaseDue();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.cancelWake?.();
    await this.running;
  }

  /** Make sure the timer fires no later than `at`. */
  wakeAt(at: Date): void {
    if (this.stopped || at.getTime() >= this.nextAt) return;
    this.cancelWake?.();
    this.nextAt = at.getTime();
    this.cancelWake = this.clock.wakeAt(this.nextAt, () => void this.releaseDue());
  }

  /** Releases everything due, then sets the timer for the next one. */
  releaseDue(): Promise<void> {
    this.running = (async () => {
      this.cancelWake = null;
      this.nextAt = Infinity;
      const write = this.publisher.begin();
      try {
        const changes = await this.uow.transaction(async (tx) => {
          const due = await this.store.lockDueForRelease(tx, new Date(this.clock.now()), RELEASABLE, 100);
          const statusOf = await this.store.shareSessionStatuses(tx, [...new Set(due.map((m) => m.sessionId))]);
          const recording = { store: this.store, streams: this.streams, directory: this.directory };
          const out: ShuttleChange[] = [];
          for (const m of due) {
            const status = statusOf.get(m.sessionId);
            if (!status || !statusAllows(status, 'shuttleRelease')) continue; // closed meanwhile: stays cooling
            out.push(await recordMessageState(tx, recording, m, { status: 'pending' }));
            await this.audit.append(tx, m.sessionId, [releaseFact(m.id)]); // opens the sealed submission
          }
          return out;
        });
        this.publisher.publish(write, ...changes);
        const next = await this.store.nextRelease(this.uow.autocommit, RELEASABLE);
        if (next) this.wakeAt(next);
      } catch (e) {
        if (!this.stopped) {
          // An outage is logged once by the database's own watch; retrying every second is the point.
          if (databaseFailureCause(e) === null) this.logger.error(`releasing cooled-off messages failed: ${(e as Error).message}`);
          this.wakeAt(new Date(this.clock.now() + 1000));
        }
      } finally {
        write.end();
      }
    })();
    return this.running;
  }
}
