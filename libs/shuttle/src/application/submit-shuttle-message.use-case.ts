import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ShuttleLabel, ShuttleMessageView } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { Clock } from '@parley/platform';
import { PartyEntity, assertStatusAllows, loadActor } from '@parley/sessions';
import { decideSubmission, normaliseText, submissionFact, textHash } from '../domain';
import { ShuttleMessageEntity } from '../infrastructure/persistence';
import { RoomStreams } from '../infrastructure/room-streams';
import { CoolingOffScheduler } from './cooling-off.scheduler';
import type { StreamWrite } from './room-event-sequencer';
import { ShuttlePublisher, type ShuttleChange } from './shuttle-publisher';
import { recordMessageState, toDomainMessage, toShuttleView } from './shuttle-views';
import { isUniqueViolation } from './unique-violation';

export interface SubmitShuttleCommand {
  userId: string;
  sessionId: string;
  text: string;
  label: ShuttleLabel;
  conveyToPartyId?: string;
  clientMessageId: string;
}

/**
 * A party member writes to the mediator. Stored (and audited, by hash) before the sender hears
 * back; a retry with the same clientMessageId answers with the stored message. With a
 * cooling-off period only the delegation sees it until it is released to the mediator's queue,
 * and its audit entry is sealed until then (submissionFact).
 */
@Injectable()
export class SubmitShuttleMessageUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly streams: RoomStreams,
    private readonly audit: AuditTrail,
    private readonly publisher: ShuttlePublisher,
    private readonly scheduler: CoolingOffScheduler,
    private readonly clock: Clock,
  ) {}

  async execute(cmd: SubmitShuttleCommand): Promise<ShuttleMessageView> {
    const write = this.publisher.begin();
    try {
      return await this.submit(cmd, write);
    } finally {
      write.end();
    }
  }

  private async submit(cmd: SubmitShuttleCommand, write: StreamWrite): Promise<ShuttleMessageView> {
    let change: ShuttleChange & { fresh: boolean };
    try {
      change = await this.dataSource.transaction(async (manager) => {
        const { session, actor } = await loadActor(manager, cmd.sessionId, cmd.userId, 'share');
        assertStatusAllows(session.status, 'shuttleSubmit');
        const repo = manager.getRepository(ShuttleMessageEntity);
        const earlier = await repo.findOne({ where: { authorParticipantId: actor.id, clientKey: cmd.clientMessageId } });
        if (earlier) return { view: toShuttleView(earlier, actor.displayName), events: [], fresh: false };

        const parties = await manager.getRepository(PartyEntity).find({ where: { sessionId: session.id }, select: { id: true } });
        const now = new Date(this.clock.now());
        const decided = decideSubmission(
          actor,
          cmd,
          parties.map((p) => p.id),
          session.coolingOffSeconds,
          now,
        );
        const text = normaliseText(cmd.text);
        const message = repo.create({
          id: randomUUID(),
          sessionId: session.id,
          partyId: actor.partyId!,
          authorParticipantId: actor.id,
          label: cmd.label,
          conveyToPartyId: decided.conveyToPartyId,
          text,
          status: decided.status,
          releaseAt: decided.releaseAt,
          conveyedText: null,
          conveyMode: null,
          declineReason: null,
          decidedByParticipantId: null,
          clientKey: cmd.clientMessageId,
          createdAt: now,
          updatedAt: now,
        });
        await repo.insert(message);
        const { view, events } = await recordMessageState(manager, this.streams, message);
        await this.audit.append(manager, session.id, [
          submissionFact(toDomainMessage(message), { userId: cmd.userId, participantId: actor.id }, textHash(text)),
        ]);
        return { view, events, fresh: true };
      });
    } catch (e) {
      if (!isUniqueViolation(e, 'shuttle_messages_idempotency')) throw e;
      return this.execute(cmd); // the concurrent copy committed: the retry now finds it
    }
    if (change.fresh) {
      this.publisher.publish(write, change);
      if (change.view.status === 'cooling') this.scheduler.wakeAt(new Date(change.view.releaseAt));
    }
    return change.view;
  }
}
