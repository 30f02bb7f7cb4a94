import { Inject, Injectable } from '@nestjs/common';
import type { LocationChanged, StatusChanged } from '@parley/contracts';
import { PlacementListeners } from './placement-listeners';
import { PresenceReader } from './presence-reader';
import { REALTIME_CHANNEL, type RealtimeChannel, type SocketPlacement } from './realtime-channel';

/** What use cases announce after a committed change. */
@Injectable()
export class RoomNotifier {
  constructor(
    @Inject(REALTIME_CHANNEL) private readonly channel: RealtimeChannel,
    private readonly presence: PresenceReader,
    private readonly listeners: PlacementListeners,
  ) {}

  /** First what follows the placement (media cut), then the sockets' channels. */
  async syncParticipant(sessionId: string, participant: SocketPlacement): Promise<void> {
    await this.listeners.changed(sessionId, participant);
    return this.channel.syncParticipant(sessionId, participant);
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
