import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ShuttleLabel, ShuttleMessageView } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { Clock, UnitOfWork } from '@parley/platform';
import { SessionDirectory, assertStatusAllows } from '@parley/sessions';
import { decideSubmission, normaliseText, submissionFact, textHash } from '../domain';
import { CoolingOffScheduler } from './cooling-off.scheduler';
import type { StreamWrite } from './room-event-sequencer';
import { RoomStreams } from './room-streams';
import { ShuttlePublisher, type ShuttleChange } from './shuttle-publisher';
import { DuplicateShuttleSubmission, ShuttleStore } from './shuttle-store';
import { recordMessageState, toShuttleView } from './shuttle-views';

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
    private readonly uow: UnitOfWork,
    private readonly store: ShuttleStore,
    private readonly directory: SessionDirectory,
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
      change = await this.uow.transaction(async (tx) => {
        const { session, actor } = await this.directory.actor(tx, cmd.sessionId, cmd.userId, 'share');
        assertStatusAllows(session.status, 'shuttleSubmit');
        const earlier = await this.store.byClientKey(tx, actor.id, cmd.clientMessageId);
        if (earlier) return { view: toShuttleView(earlier, actor.displayName), events: [], fresh: false };

        const parties = await this.directory.parties(tx, session.id);
        const now = new Date(this.clock.now());
        const decided = decideSubmission(
          actor,
          cmd,
          parties.map((p) => p.id),
          session.coolingOffSeconds,
          now,
        );
        const text = normaliseText(cmd.text);
        const message = await this.store.insert(tx, {
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
        const { view, events } = await recordMessageState(
          tx,
          { store: this.store, streams: this.streams, directory: this.directory },
          message,
        );
        await this.audit.append(tx, session.id, [submissionFact(message, { userId: cmd.userId, participantId: actor.id }, textHash(text))]);
        return { view, events, fresh: true };
      });
    } catch (e) {
      if (!(e instanceof DuplicateShuttleSubmission)) throw e;
      return this.execute(cmd); // the concurrent copy committed: the retry now finds it
    }
    if (change.fresh) {
      this.publisher.publish(write, change);
      if (change.view.status === 'cooling') this.scheduler.wakeAt(new Date(change.view.releaseAt));
    }
    return change.view;
  }
}
