import { Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { DependencyMonitor } from '@parley/platform';
import { socketPlacementOf } from '../../application/realtime-channel';
import { ParticipantEntity } from '../persistence';
import { SocketIoChannel } from './socket-io.channel';

/**
 * When fan-out between instances comes back (Redis up again), every instance puts each of its own
 * sockets back in exactly the channels that the stored membership allows. While Redis was down
 * membership changes were refused (MembershipFanoutGuard), but one made in the instant before the
 * outage was declared may have reached only the sockets of the instance that made it: this is
 * where the others catch up, so a moved person stops hearing their old room (PRODUCT rule 2).
 */
@Injectable()
export class MembershipHeal implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Realtime');
  private unsubscribe: (() => void) | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly channel: SocketIoChannel,
    private readonly dataSource: DataSource,
    @Optional() private readonly dependencies?: DependencyMonitor,
  ) {}

  onModuleInit(): void {
    this.unsubscribe =
      this.dependencies?.onChange((name, state) => {
        if (name === 'redis' && state.status === 'up')
          this.running ??= this.heal().finally(() => {
            this.running = null;
          });
      }) ?? null;
  }

  async onModuleDestroy(): Promise<void> {
    this.unsubscribe?.();
    await this.running;
  }

  /** Re-derives the channels of every participant connected here from the stored state. */
  async heal(): Promise<number> {
    try {
      const local = await this.channel.localParticipants();
      if (!local.length) return 0;
      const rows = await this.dataSource.getRepository(ParticipantEntity).findBy({ id: In(local.map((l) => l.participantId)) });
      for (const p of rows) await this.channel.syncParticipant(p.sessionId, socketPlacementOf(p), 'local');
      return rows.length;
    } catch (e) {
      this.logger.warn(`re-deriving socket rooms after the fan-out outage failed: ${(e as Error).message}`);
      return 0;
    }
  }
}
