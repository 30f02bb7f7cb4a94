import { Inject, Injectable } from '@nestjs/common';
import type { RoomEvent, ShuttleMessageView } from '@parley/contracts';
import { REALTIME_CHANNEL, type RealtimeChannel } from '@parley/sessions';
import { hasReachedMediators } from '../domain';
import { RoomEventSequencer, type StreamWrite } from './room-event-sequencer';

/** What a committed shuttle change sends, and to whom. */
export interface ShuttleChange {
  view: ShuttleMessageView;
  /** Events appended to room streams (the sender's caucus; the receiver's when conveyed). */
  events: RoomEvent[];
}

@Injectable()
export class ShuttlePublisher {
  constructor(
    @Inject(REALTIME_CHANNEL) private readonly channel: RealtimeChannel,
    private readonly sequencer: RoomEventSequencer,
  ) {}

  /**
   * Opens a write before its transaction starts: room events committed meanwhile wait for it where
   * it may hold an earlier seq. End it (`publish`, or `end` in a `finally`) whatever happens.
   */
  begin(): StreamWrite {
    return this.sequencer.begin();
  }

  /**
   * Still cooling off (or withdrawn then): the delegation only — the mediator has not received it.
   * Otherwise: the room streams it was appended to (each room's in seq order), and the mediators'
   * queue. The changes committed by one write, which this ends.
   */
  publish(write: StreamWrite, ...changes: ShuttleChange[]): void {
    write.publish(changes.flatMap((c) => (hasReachedMediators(c.view.status) ? c.events : [])));
    for (const { view } of changes) {
      if (hasReachedMediators(view.status)) this.channel.toMediators(view.sessionId, 'shuttle.queue', view);
      else this.channel.toParty(view.partyId, 'shuttle.cooling', view);
    }
  }
}
