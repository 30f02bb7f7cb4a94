import { Injectable, Logger } from '@nestjs/common';
import type { SocketPlacement } from './realtime-channel';

/**
 * What else must follow a participant's placement or role at once — media: the old room's
 * streams are torn down before anything of the new room reaches them.
 */
export interface PlacementListener {
  placementChanged(sessionId: string, placement: SocketPlacement): Promise<void>;
}

/** Where other contexts register what follows a change of placement (sessions knows none of them). */
@Injectable()
export class PlacementListeners {
  private readonly listeners: PlacementListener[] = [];
  private readonly logger = new Logger('Placement');

  register(listener: PlacementListener): void {
    this.listeners.push(listener);
  }

  /** Runs every listener; one failing is logged and does not stop the others or the move. */
  async changed(sessionId: string, placement: SocketPlacement): Promise<void> {
    for (const l of this.listeners) {
      await l.placementChanged(sessionId, placement).catch((e: Error) => this.logger.error(`after a placement change: ${e.message}`));
    }
  }
}
