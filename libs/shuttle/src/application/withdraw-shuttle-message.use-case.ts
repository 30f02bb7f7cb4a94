import { Injectable } from '@nestjs/common';
import type { ShuttleMessageView } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { UnitOfWork } from '@parley/platform';
import { SessionDirectory, assertStatusAllows } from '@parley/sessions';
import { decideWithdrawal, withdrawalFact } from '../domain';
import type { StreamWrite } from './room-event-sequencer';
import { RoomStreams } from './room-streams';
import { ShuttlePublisher } from './shuttle-publisher';
import { ShuttleStore } from './shuttle-store';
import { lockVisibleMessage, recordMessageState } from './shuttle-views';

/**
 * During its cooling-off period, the sender takes a message back; the mediator never sees it,
 * nor its audit entries, which stay sealed (withdrawalFact).
 * A party member's act: only while the session is open (the lifecycle table's `shuttleWithdraw`).
 */
@Injectable()
export class WithdrawShuttleMessageUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly store: ShuttleStore,
    private readonly directory: SessionDirectory,
    private readonly streams: RoomStreams,
    private readonly audit: AuditTrail,
    private readonly publisher: ShuttlePublisher,
  ) {}

  async execute(cmd: { userId: string; sessionId: string; messageId: string }): Promise<ShuttleMessageView> {
    const write = this.publisher.begin();
    try {
      return await this.withdraw(cmd, write);
    } finally {
      write.end();
    }
  }

  private async withdraw(cmd: { userId: string; sessionId: string; messageId: string }, write: StreamWrite): Promise<ShuttleMessageView> {
    const change = await this.uow.transaction(async (tx) => {
      const { session, actor } = await this.directory.actor(tx, cmd.sessionId, cmd.userId, 'share');
      assertStatusAllows(session.status, 'shuttleWithdraw');
      const message = await lockVisibleMessage(tx, this.store, cmd.sessionId, cmd.messageId, actor);
      decideWithdrawal(actor, message);
      const recorded = await recordMessageState(tx, { store: this.store, streams: this.streams, directory: this.directory }, message, {
        status: 'withdrawn',
      });
      await this.audit.append(tx, cmd.sessionId, [withdrawalFact(message.id, { userId: cmd.userId, participantId: actor.id })]);
      return recorded;
    });
    this.publisher.publish(write, change);
    return change.view;
  }
}
