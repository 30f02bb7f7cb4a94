import { Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource, In, type SelectQueryBuilder } from 'typeorm';
import { AuditTrail } from '@parley/audit';
import { Clock, databaseFailureCause } from '@parley/platform';
import { MediationSessionEntity, statusAllows, statusesAllowing } from '@parley/sessions';
import { releaseFact } from '../domain';
import { ShuttleMessageEntity } from '../infrastructure/persistence';
import { RoomStreams } from '../infrastructure/room-streams';
import { ShuttlePublisher, type ShuttleChange } from './shuttle-publisher';
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
 * its submission audited — and never enters a closed session's queue: both queries below leave
 * closed sessions out, so the timer does not spin on messages it will never release. The session
 * rows are then read `FOR SHARE`, which waits for a status change under way: a close that commits
 * while a release is being decided is seen, and the message stays where it was.
 */
@Injectable()
export class CoolingOffScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CoolingOff');
  private cancelWake: (() => void) | null = null;
  private nextAt = Infinity;
  private stopped = false;
  private running: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
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
        const changes = await this.dataSource.transaction(async (manager) => {
          const due: ShuttleMessageEntity[] = await this.cooling(manager.getRepository(ShuttleMessageEntity).createQueryBuilder('m'))
            .andWhere('m.release_at <= :now', { now: new Date(this.clock.now()) })
            .orderBy('m.release_at', 'ASC')
            .limit(100)
            .setLock('pessimistic_write', undefined, ['m'])
            .setOnLocked('skip_locked')
            .getMany();
          const sessionIds = [...new Set(due.map((m) => m.sessionId))];
          const sessions =
            sessionIds.length === 0
              ? []
              : await manager.getRepository(MediationSessionEntity).find({
                  select: { id: true, status: true },
                  where: { id: In(sessionIds) },
                  lock: { mode: 'pessimistic_read' },
                });
          const statusOf = new Map(sessions.map((s) => [s.id, s.status]));
          const out: ShuttleChange[] = [];
          for (const m of due) {
            const status = statusOf.get(m.sessionId);
            if (!status || !statusAllows(status, 'shuttleRelease')) continue; // closed meanwhile: stays cooling
            out.push(await recordMessageState(manager, this.streams, m, { status: 'pending' }));
            await this.audit.append(manager, m.sessionId, [releaseFact(m.id)]); // opens the sealed submission
          }
          return out;
        });
        this.publisher.publish(write, ...changes);
        const next = await this.cooling(this.dataSource.getRepository(ShuttleMessageEntity).createQueryBuilder('m'))
          .select('MIN(m.release_at)', 'at')
          .getRawOne<{ at: Date | string | null }>();
        if (next?.at) this.wakeAt(new Date(next.at));
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

  /** Messages still cooling off, in sessions whose status allows their release. */
  private cooling(q: SelectQueryBuilder<ShuttleMessageEntity>): SelectQueryBuilder<ShuttleMessageEntity> {
    return q
      .innerJoin(MediationSessionEntity, 's', 's.id = m.session_id')
      .where(`m.status = 'cooling'`)
      .andWhere('s.status IN (:...releasable)', { releasable: RELEASABLE });
  }
}
