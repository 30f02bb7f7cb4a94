import { Injectable } from '@nestjs/common';
import type { RoomHistory } from '@parley/contracts';
import { DomainError, UnitOfWork } from '@parley/platform';
import { SessionDirectory } from '@parley/sessions';
import { assertMayRead, mayReceiveRoomEvent } from '../domain';
import { RoomStreams } from './room-streams';

/** History and replay of a room's stream, for those who may be in the room. */
@Injectable()
export class ReadRoomHistoryUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly directory: SessionDirectory,
    private readonly streams: RoomStreams,
  ) {}

  async execute(cmd: {
    userId: string;
    sessionId: string;
    roomId: string;
    afterSeq?: number;
    beforeSeq?: number;
    limit?: number;
  }): Promise<RoomHistory> {
    // The permission and the page on one snapshot: a reader moved out of the room between the two
    // is refused, or served the room as it stood while they were in it, never what was said after.
    return this.uow.snapshot(async (tx) => {
      const { session, actor } = await this.directory.actor(tx, cmd.sessionId, cmd.userId);
      const room = await this.directory.room(tx, session.id, cmd.roomId);
      if (!room) throw new DomainError('ROOM_NOT_FOUND', 'No such room in this session.', 'roomId');
      assertMayRead(actor, room);
      const page = await this.streams.read(tx, room.id, cmd);
      // Seqs stay as stored: a reader given fewer events sees gaps, not renumbered ones.
      return { ...page, events: page.events.filter((e) => mayReceiveRoomEvent(actor, e.type)) };
    });
  }
}
