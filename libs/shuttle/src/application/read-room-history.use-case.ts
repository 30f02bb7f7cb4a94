import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RoomHistory } from '@parley/contracts';
import { DomainError } from '@parley/platform';
import { loadActor, loadRoom, toLocated } from '@parley/sessions';
import { assertMayRead } from '../domain';
import { RoomStreams } from '../infrastructure/room-streams';

/** History and replay of a room's stream, for those who may be in the room. */
@Injectable()
export class ReadRoomHistoryUseCase {
  constructor(
    private readonly dataSource: DataSource,
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
    const { session, actor } = await loadActor(this.dataSource.manager, cmd.sessionId, cmd.userId);
    const room = await loadRoom(this.dataSource.manager, session.id, cmd.roomId);
    if (!room) throw new DomainError('ROOM_NOT_FOUND', 'No such room in this session.', 'roomId');
    assertMayRead(toLocated(actor), room);
    return this.streams.read(room.id, cmd);
  }
}
