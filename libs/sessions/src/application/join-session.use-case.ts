import { Injectable } from '@nestjs/common';
import type { JoinedSession } from '@parley/contracts';
import { UnitOfWork } from '@parley/platform';
import { assertStatusAllows, toBreakView } from '../domain';
import { SessionRoster } from './session-roster';
import { toParticipantView, toRoomView } from './views';

/**
 * A participant's socket joins their session: they are where they were (a room, or the lobby for
 * a first arrival) with the role they hold — a reconnect restores both — and, during a break, hear
 * why and until when.
 */
@Injectable()
export class JoinSessionUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly roster: SessionRoster,
  ) {}

  async execute(cmd: { userId: string; sessionId: string }): Promise<JoinedSession> {
    const { session, actor } = await this.roster.actor(this.uow.autocommit, cmd.sessionId, cmd.userId);
    assertStatusAllows(session.status, 'connect');
    const room = actor.roomId ? await this.roster.room(this.uow.autocommit, session.id, actor.roomId) : null;
    return {
      sessionId: session.id,
      status: session.status,
      break: toBreakView(session.status, session.breakState),
      participant: toParticipantView(actor),
      room: room ? toRoomView(room) : null,
    };
  }
}
