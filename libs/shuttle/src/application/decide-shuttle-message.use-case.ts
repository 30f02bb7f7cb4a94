import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ConveyedMessageView, ShuttleMessageView } from '@parley/contracts';
import { AuditTrail, type AuditFact } from '@parley/audit';
import { UnitOfWork } from '@parley/platform';
import { SessionDirectory, assertStatusAllows } from '@parley/sessions';
import { conveyedTo, decideOnMessage, normaliseText, textHash, type MediatorDecision } from '../domain';
import type { StreamWrite } from './room-event-sequencer';
import { RoomStreams } from './room-streams';
import { ShuttlePublisher } from './shuttle-publisher';
import { ShuttleStore } from './shuttle-store';
import { caucusOf, lockVisibleMessage, recordMessageState } from './shuttle-views';

export interface DecideShuttleCommand {
  userId: string;
  sessionId: string;
  messageId: string;
  decision: MediatorDecision;
}

/**
 * The mediator conveys (verbatim, edited, or as their own suggestion), holds or declines. The
 * sender's delegation sees the new status — and what was actually conveyed, with a word diff —
 * in its caucus stream; the receiving party gets only the conveyed wording in its caucus,
 * attributed to the sending party or to the mediator. A mediator's act: in every status but
 * closed (the lifecycle table's `shuttleDecide`), as their chat.
 */
@Injectable()
export class DecideShuttleMessageUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly store: ShuttleStore,
    private readonly directory: SessionDirectory,
    private readonly streams: RoomStreams,
    private readonly audit: AuditTrail,
    private readonly publisher: ShuttlePublisher,
  ) {}

  async execute(cmd: DecideShuttleCommand): Promise<ShuttleMessageView> {
    const write = this.publisher.begin();
    try {
      return await this.decide(cmd, write);
    } finally {
      write.end();
    }
  }

  private async decide(cmd: DecideShuttleCommand, write: StreamWrite): Promise<ShuttleMessageView> {
    const change = await this.uow.transaction(async (tx) => {
      const { session, actor } = await this.directory.actor(tx, cmd.sessionId, cmd.userId, 'share');
      assertStatusAllows(session.status, 'shuttleDecide');
      const message = await lockVisibleMessage(tx, this.store, session.id, cmd.messageId, actor);
      const outcome = decideOnMessage(actor, message, normaliseDecision(cmd.decision));

      const recording = { store: this.store, streams: this.streams, directory: this.directory };
      const { view, events } = await recordMessageState(tx, recording, message, {
        status: outcome.status,
        conveyedText: outcome.conveyedText,
        conveyMode: outcome.conveyMode,
        declineReason: outcome.declineReason,
        decidedByParticipantId: actor.id,
      });
      const by = { actorUserId: cmd.userId, actorParticipantId: actor.id };
      const facts: AuditFact[] = [];
      if (outcome.status === 'conveyed') {
        // The receiving party is the audience rule's (the web says the same before anyone writes).
        const receiver = conveyedTo({ label: message.label, conveyToPartyId: message.conveyToPartyId, status: outcome.status });
        if (receiver === null) throw new Error(`conveyed message ${message.id} names no receiving party`);
        const receiverCaucus = await caucusOf(tx, this.directory, session.id, receiver);
        const sender = (await this.directory.parties(tx, session.id)).find((p) => p.id === message.partyId);
        if (!sender) throw new Error(`message ${message.id} names no party of its session`);
        const conveyed: ConveyedMessageView = {
          id: randomUUID(),
          text: outcome.conveyedText!,
          attribution:
            outcome.conveyMode === 'as_mediator' ? { kind: 'mediator' } : { kind: 'party', partyId: sender.id, partyName: sender.name },
          conveyedAt: new Date().toISOString(),
        };
        const delivered = await this.streams.append(tx, {
          sessionId: session.id,
          roomId: receiverCaucus.id,
          type: 'shuttle.conveyed',
          payload: conveyed,
        });
        events.push(delivered);
        facts.push({
          ...by,
          type: 'shuttle.message.conveyed',
          payload: {
            messageId: message.id,
            toPartyId: receiver,
            mode: outcome.conveyMode,
            attribution: conveyed.attribution.kind === 'mediator' ? 'mediator' : message.partyId,
            roomId: receiverCaucus.id,
            seq: delivered.seq,
            textSha256: textHash(conveyed.text),
          },
        });
      } else if (outcome.status === 'declined') {
        facts.push({
          ...by,
          type: 'shuttle.message.declined',
          payload: { messageId: message.id, textSha256: textHash(message.text), reasonSha256: textHash(outcome.declineReason!) },
        });
      } else {
        facts.push({ ...by, type: 'shuttle.message.held', payload: { messageId: message.id } });
      }
      await this.audit.append(tx, session.id, facts);
      return { view, events };
    });
    this.publisher.publish(write, change);
    return change.view;
  }
}

/** The wording a decision carries, as it will be stored and delivered. */
function normaliseDecision(d: MediatorDecision): MediatorDecision {
  if (d.kind === 'convey' && d.text !== undefined) return { ...d, text: normaliseText(d.text) };
  if (d.kind === 'decline') return { ...d, reason: normaliseText(d.reason, 'reason') };
  return d;
}
