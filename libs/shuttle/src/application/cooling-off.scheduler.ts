import { Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditTrail } from '@parley/audit';
import { databaseFailureCause } from '@parley/platform';
import { ShuttleMessageEntity } from '../infrastructure/persistence';
import { RoomStreams } from '../infrastructure/room-streams';
import { ShuttlePublisher, type ShuttleChange } from './shuttle-publisher';
import { recordMessageState } from './shuttle-views';

/**
 * Releases messages whose cooling-off period is over into the mediator's queue. One timer, set
 * for the earliest release; at start-up it picks up what was cooling when the process stopped.
 * Several API instances may race for a message: `FOR UPDATE SKIP LOCKED` gives each to one.
 */
@Injectable()
export class CoolingOffScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CoolingOff');
  private timer: NodeJS.Timeout | null = null;
  private nextAt = Infinity;
  private stopped = false;
  private running: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly streams: RoomStreams,
    private readonly audit: AuditTrail,
    private readonly publisher: ShuttlePublisher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.releaseDue();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Make sure the timer fires no later than `at`. */
  wakeAt(at: Date): void {
    if (this.stopped || at.getTime() >= this.nextAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.nextAt = at.getTime();
    this.timer = setTimeout(() => void this.releaseDue(), Math.max(0, at.getTime() - Date.now()));
    this.timer.unref();
  }

  /** Releases everything due, then sets the timer for the next one. */
  releaseDue(): Promise<void> {
    this.running = (async () => {
      this.timer = null;
      this.nextAt = Infinity;
      const write = this.publisher.begin();
      try {
        const changes = await this.dataSource.transaction(async (manager) => {
          const due: ShuttleMessageEntity[] = await manager.getRepository(ShuttleMessageEntity).createQueryBuilder('m')
            .where(`m.status = 'cooling' AND m.release_at <= now()`)
            .orderBy('m.release_at', 'ASC')
            .limit(100)
            .setLock('pessimistic_write')
            .setOnLocked('skip_locked')
            .getMany();
          const out: ShuttleChange[] = [];
          for (const m of due) {
            out.push(await recordMessageState(manager, this.streams, m, { status: 'pending' }));
            await this.audit.append(manager, m.sessionId, [{ type: 'shuttle.message.queued', actorUserId: null, actorParticipantId: null, payload: { messageId: m.id } }]);
          }
          return out;
        });
        this.publisher.publish(write, ...changes);
        const next = await this.dataSource.getRepository(ShuttleMessageEntity).createQueryBuilder('m')
          .select('MIN(m.release_at)', 'at').where(`m.status = 'cooling'`).getRawOne<{ at: Date | string | null }>();
        if (next?.at) this.wakeAt(new Date(next.at));
      } catch (e) {
        if (!this.stopped) {
          // An outage is logged once by the database's own watch; retrying every second is the point.
          if (databaseFailureCause(e) === null) this.logger.error(`releasing cooled-off messages failed: ${(e as Error).message}`);
          this.wakeAt(new Date(Date.now() + 1000));
        }
      } finally {
        write.end();
      }
    })();
    return this.running;
  }
}
