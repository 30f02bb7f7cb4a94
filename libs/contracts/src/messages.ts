import type { ParticipantRole } from './roles';

/** `mediator_only` never leaves the mediator; `conveyable` may be conveyed to one named party. */
export const SHUTTLE_LABELS = ['mediator_only', 'conveyable'] as const;
export type ShuttleLabel = (typeof SHUTTLE_LABELS)[number];

/**
 * cooling (cooling-off: the sender may still withdraw) → pending (in the mediator's queue)
 * → held ⇄ … → conveyed | declined; or cooling → withdrawn.
 */
export const SHUTTLE_STATUSES = ['cooling', 'pending', 'held', 'conveyed', 'declined', 'withdrawn'] as const;
export type ShuttleStatus = (typeof SHUTTLE_STATUSES)[number];

export const CONVEY_MODES = ['verbatim', 'edited', 'as_mediator'] as const;
export type ConveyMode = (typeof CONVEY_MODES)[number];

export interface WordDiffSegment {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface ChatMessageView {
  id: string;
  text: string;
  authorParticipantId: string;
  authorName: string;
  authorRole: ParticipantRole;
  clientMessageId: string;
}

/** A shuttle message as its sender's delegation and the mediators see it — and nobody else. */
export interface ShuttleMessageView {
  id: string;
  sessionId: string;
  partyId: string;
  authorParticipantId: string;
  authorName: string;
  label: ShuttleLabel;
  conveyToPartyId: string | null;
  text: string;
  status: ShuttleStatus;
  releaseAt: string;
  createdAt: string;
  updatedAt: string;
  /** What the receiving party was actually given. */
  conveyedText: string | null;
  conveyMode: ConveyMode | null;
  /** Word-level changes from `text` to `conveyedText` (edited or reworded conveyances). */
  diff: WordDiffSegment[] | null;
  declineReason: string | null;
  clientMessageId: string;
}

/** What the receiving party sees: the conveyed wording only, attributed as the mediator chose. */
export interface ConveyedMessageView {
  id: string;
  text: string;
  attribution: { kind: 'party'; partyId: string; partyName: string } | { kind: 'mediator' };
  conveyedAt: string;
}

export type RoomEventType = 'chat.message' | 'shuttle.message' | 'shuttle.conveyed';

/** One entry of a room's stream: gap-free `seq` per room, assigned by the server. */
export type RoomEvent = {
  sessionId: string;
  roomId: string;
  seq: number;
  createdAt: string;
} & (
  | { type: 'chat.message'; payload: ChatMessageView }
  | { type: 'shuttle.message'; payload: ShuttleMessageView }
  | { type: 'shuttle.conveyed'; payload: ConveyedMessageView }
);

export interface RoomHistory {
  roomId: string;
  events: RoomEvent[];
  /** The room's latest seq when the page was read. */
  lastSeq: number;
  /** More events exist beyond this page (in the direction asked). */
  more: boolean;
}
