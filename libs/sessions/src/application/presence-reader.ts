import { Inject, Injectable } from '@nestjs/common';
import type { OccupantView, PresenceOverview } from '@parley/contracts';
import { UnitOfWork } from '@parley/platform';
import { orderRooms } from '../domain';
import { REALTIME_CHANNEL, type RealtimeChannel } from './realtime-channel';
import { SessionRoster, type Seat } from './session-roster';
import { toRoomView } from './views';

/** Presence, built from the stored locations and the live connections. */
@Injectable()
export class PresenceReader {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly roster: SessionRoster,
    @Inject(REALTIME_CHANNEL) private readonly channel: RealtimeChannel,
  ) {}

  async overview(sessionId: string): Promise<PresenceOverview> {
    const tx = this.uow.autocommit;
    const [participants, stored, parties, connected] = await Promise.all([
      this.roster.participants(tx, sessionId),
      this.roster.rooms(tx, sessionId),
      this.roster.parties(tx, sessionId),
      this.channel.connectedParticipants(sessionId),
    ]);
    // Every page, pushed or fetched, lists the rooms in the one order (joint rooms come in opening order from the roster).
    const rooms = orderRooms(
      stored,
      parties.map((p) => p.id),
    );
    const occupant = (p: Seat): OccupantView => ({
      participantId: p.id,
      displayName: p.displayName,
      role: p.role,
      // As in a participant's view: an interpreter's is the party that brought them.
      partyId: p.partyId ?? p.broughtByPartyId ?? null,
      connected: connected.has(p.id),
    });
    return {
      sessionId,
      lobby: participants.filter((p) => p.roomId === null).map(occupant),
      rooms: rooms
        .filter((r) => !r.closed)
        .map((r) => ({ room: toRoomView(r), occupants: participants.filter((p) => p.roomId === r.id).map(occupant) })),
    };
  }
}
