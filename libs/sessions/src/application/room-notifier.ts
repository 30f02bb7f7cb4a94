import { Inject, Injectable, Logger } from '@nestjs/common';
import type { LocationChanged, StatusChanged } from '@parley/contracts';
import { DomainError, UnitOfWork } from '@parley/platform';
import { PlacementListeners } from './placement-listeners';
import { PresenceReader } from './presence-reader';
import { REALTIME_CHANNEL, samePlacement, socketPlacementOf, type RealtimeChannel, type SocketPlacement } from './realtime-channel';
import { SessionRoster } from './session-roster';

/** Syncs after a re-read that found another placement, before giving up (each follows a newer commit). */
const MAX_RESYNCS = 5;

/** What use cases announce after a committed change. */
@Injectable()
export class RoomNotifier {
  private readonly logger = new Logger('Placement');

  constructor(
    @Inject(REALTIME_CHANNEL) private readonly channel: RealtimeChannel,
    private readonly presence: PresenceReader,
    private readonly listeners: PlacementListeners,
    private readonly uow: UnitOfWork,
    private readonly roster: SessionRoster,
  ) {}

  /** After a committed change: first what follows the placement (media cut), then the sockets' channels. */
  async syncParticipant(sessionId: string, participant: SocketPlacement): Promise<void> {
    await this.listeners.changed(sessionId, participant);
    await this.channel.syncParticipant(sessionId, participant);
    await this.settle(sessionId, participant);
  }

  /** A socket joining the session: the participant's sockets to the placement its join read. */
  async syncJoined(sessionId: string, participant: SocketPlacement): Promise<void> {
    await this.channel.syncParticipant(sessionId, participant);
    await this.settle(sessionId, participant);
  }

  /**
   * Syncs run after their commits, unordered: a join (or a change) that read the placement
   * before a move committed can sync after the move's own sync and undo it, leaving every socket
   * of the participant in the room they left. So the stored placement is read again after each
   * sync, and synced, with what follows a change, until what was last synced is what is stored:
   * any change committed after that read syncs after it.
   */
  private async settle(sessionId: string, synced: SocketPlacement): Promise<void> {
    try {
      for (let resyncs = 0; ; resyncs++) {
        const seat = await this.roster.participant(this.uow.autocommit, sessionId, synced.id).catch((e: Error) => {
          if (e instanceof DomainError && e.code === 'PARTICIPANT_NOT_FOUND') return null;
          throw e;
        });
        if (!seat) return; // gone from the session: its removal syncs on its own
        const stored = socketPlacementOf(seat);
        if (samePlacement(stored, synced)) return;
        if (resyncs >= MAX_RESYNCS) throw new Error(`still ${JSON.stringify(stored)} after ${MAX_RESYNCS} syncs`);
        await this.listeners.changed(sessionId, stored);
        await this.channel.syncParticipant(sessionId, stored);
        synced = stored;
      }
    } catch (e) {
      this.logger.warn(`participant ${synced.id}'s sockets not checked against the stored placement: ${(e as Error).message}`);
    }
  }

  locationChanged(event: LocationChanged): void {
    this.channel.toParticipant(event.participantId, 'participant.location', event);
  }

  /** The overview to the mediators; to each listed room, who is in it now. */
  async presenceChanged(sessionId: string, roomIds: ReadonlyArray<string | null>): Promise<void> {
    const overview = await this.presence.overview(sessionId);
    this.channel.toMediators(sessionId, 'presence.overview', overview);
    for (const roomId of new Set(roomIds)) {
      if (!roomId) continue;
      const entry = overview.rooms.find((r) => r.room.id === roomId);
      if (entry) this.channel.toRoom(roomId, 'room.presence', { sessionId, roomId, occupants: entry.occupants });
    }
  }

  /** To everyone in the session, with the break when it is one. */
  statusChanged(event: StatusChanged): void {
    this.channel.toSession(event.sessionId, 'session.status', event);
  }
}

// The registry lived here before the port, the presence and the registry were split; test suites still import it from here.
export { PlacementListeners, type PlacementListener } from './placement-listeners';
