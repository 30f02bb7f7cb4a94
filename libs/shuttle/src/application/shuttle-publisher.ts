import { Inject, Injectable } from '@nestjs/common';
import type { RoomEvent, ShuttleMessageView } from '@parley/contracts';
import { REALTIME_CHANNEL, type RealtimeChannel } from '@parley/sessions';
import { hasReachedMediators } from '../domain';

/** What a committed shuttle change sends, and to whom. */
export interface ShuttleChange {
  view: ShuttleMessageView;
  /** Events appended to room streams (the sender's caucus; the receiver's when conveyed). */
  events: RoomEvent[];
}

@Injectable()
export class ShuttlePublisher {
  constructor(@Inject(REALTIME_CHANNEL) private readonly channel: RealtimeChannel) {}

  /**
   * Still cooling off (or withdrawn then): the delegation only — the mediator has not received it.
   * Otherwise: the room streams it was appended to, and the mediators' queue.
   */
  publish(change: ShuttleChange): void {
    const { view, events } = change;
    if (!hasReachedMediators(view.status)) {
      this.channel.toParty(view.partyId, 'shuttle.cooling', view);
      return;
    }
    for (const e of events) this.channel.toRoom(e.roomId, 'room.event', e);
    this.channel.toMediators(view.sessionId, 'shuttle.queue', view);
  }
}
