import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { DependencyMonitor } from '@parley/platform';
import { samePlacement, socketPlacementOf, type SocketPlacement } from '../../application/realtime-channel';
import { ParticipantEntity } from '../persistence';
import { SocketIoChannel } from './socket-io.channel';

/** Re-reads after a sync that found placements changed meanwhile, before the heal gives up. */
const MAX_RESYNC_ROUNDS = 5;
/** Tries of a heal that fails, and the pause before the next (times the try's number). */
const HEAL_ATTEMPTS = 4;
const HEAL_RETRY_MS = 1_000;

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
  /** Aborted at shutdown: a heal waiting to try again stops waiting, and does not try. */
  private readonly stopping = new AbortController();

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
    this.stopping.abort();
    this.unsubscribe?.();
    await this.running;
  }

  /**
   * Re-derives the channels of every participant connected here from the stored state. Redis is
   * back, so moves are made again meanwhile, and a move committed after this read synced its
   * sockets everywhere before this sync could undo it: so the placements are read again after the
   * syncs, and those that changed synced again, until a read finds none changed (any change
   * committed after that read syncs after it). A heal that fails (the database unreachable just
   * then) is tried again, a few times, while Redis stays up.
   */
  async heal(): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.healOnce();
      } catch (e) {
        const again = attempt < HEAL_ATTEMPTS && !this.stopping.signal.aborted && !this.dependencies?.isDown('redis');
        this.logger.warn(
          `re-deriving socket rooms after the fan-out outage failed${again ? ', trying again' : ''}: ${(e as Error).message}`,
        );
        if (!again) return 0;
        const waited = await sleep(HEAL_RETRY_MS * attempt, true, { signal: this.stopping.signal }).catch(() => false);
        if (!waited) return 0;
      }
    }
  }

  private async healOnce(): Promise<number> {
    const local = await this.channel.localParticipants();
    const synced = new Map<string, SocketPlacement>();
    let toRead = local.map((l) => l.participantId);
    for (let round = 0; toRead.length > 0; round++) {
      if (round > MAX_RESYNC_ROUNDS) throw new Error(`placements still changing after ${MAX_RESYNC_ROUNDS} re-reads`);
      const rows = await this.dataSource.getRepository(ParticipantEntity).findBy({ id: In(toRead) });
      const changed = rows.filter((p) => {
        const before = synced.get(p.id);
        return !before || !samePlacement(before, socketPlacementOf(p));
      });
      for (const p of changed) {
        const placement = socketPlacementOf(p);
        await this.channel.syncParticipant(p.sessionId, placement, 'local');
        synced.set(p.id, placement);
      }
      toRead = changed.map((p) => p.id);
    }
    return synced.size;
  }
}
