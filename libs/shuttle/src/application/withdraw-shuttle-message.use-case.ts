import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ShuttleMessageView } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { assertStatusAllows, loadActor } from '@parley/sessions';
import { decideWithdrawal, withdrawalFact } from '../domain';
import { RoomStreams } from '../infrastructure/room-streams';
import type { StreamWrite } from './room-event-sequencer';
import { ShuttlePublisher } from './shuttle-publisher';
import { lockVisibleMessage, recordMessageState, toDomainMessage } from './shuttle-views';

/**
 * During its cooling-off period, the sender takes a message back; the mediator never sees it,
 * nor its audit entries, which stay sealed (withdrawalFact).
 * A party member's act: only while the session is open (the lifecycle table's `shuttleWithdraw`).
 */
@Injectable()
export class WithdrawShuttleMessageUseCase {
  constructor(
    private readonly dataSource: DataSource,
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
    const change = await this.dataSource.transaction(async (manager) => {
      const { session, actor } = await loadActor(manager, cmd.sessionId, cmd.userId, 'share');
      assertStatusAllows(session.status, 'shuttleWithdraw');
      const message = await lockVisibleMessage(manager, cmd.sessionId, cmd.messageId, actor);
      decideWithdrawal(actor, toDomainMessage(message));
      const recorded = await recordMessageState(manager, this.streams, message, { status: 'withdrawn' });
      await this.audit.append(manager, cmd.sessionId, [withdrawalFact(message.id, { userId: cmd.userId, participantId: actor.id })]);
      return recorded;
    });
    this.publisher.publish(write, change);
    return change.view;
  }
}
