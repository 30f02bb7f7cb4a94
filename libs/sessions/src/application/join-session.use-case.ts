import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { JoinedSession } from '@parley/contracts';
import { assertStatusAllows, toBreakView } from '../domain';
import { breakOf, loadActor, loadRoom } from './session-access';
import { toParticipantView, toRoomView } from './views';

/**
 * A participant's socket joins their session: they are where they were (a room, or the lobby for
 * a first arrival) with the role they hold — a reconnect restores both — and, during a break, hear
 * why and until when.
 */
@Injectable()
export class JoinSessionUseCase {
  constructor(private readonly dataSource: DataSource) {}

  async execute(cmd: { userId: string; sessionId: string }): Promise<JoinedSession> {
    const { session, actor } = await loadActor(this.dataSource.manager, cmd.sessionId, cmd.userId);
    assertStatusAllows(session.status, 'connect');
    const room = actor.roomId ? await loadRoom(this.dataSource.manager, session.id, actor.roomId) : null;
    return {
      sessionId: session.id,
      status: session.status,
      break: toBreakView(session.status, breakOf(session)),
      participant: toParticipantView(actor),
      room: room ? toRoomView(room) : null,
    };
  }
}
