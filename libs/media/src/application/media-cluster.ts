/**
 * The API instances that share media, as MediaSessions needs them. Every media room has one owner:
 * the instance whose SFU connection holds the room and every seat in it. Requests about a room are
 * executed by its owner; a placement change decided anywhere is sent to the instance holding the
 * participant's seat. Without Redis there is one instance and it owns everything (SoloMediaCluster).
 */
import type { MediaCall } from './media-routing';

/** What a claim found: the owner now, and the instance it was taken from when that one had died. */
export interface RoomClaim {
  owner: string;
  /** The dead owner the room was taken over from (its participants must join again), else null. */
  tookOverFrom: string | null;
}

/** A message from one instance to another (or to all). */
export type ClusterMessage =
  | MediaCall
  /** Cut what the rules say of a participant's seat held here: they are now in `roomIdNow`. */
  | { kind: 'cut'; sessionId: string; participantId: string; roomIdNow: string | null }
  /** A session or a joint room closed: release this instance's media rooms that closed with it. */
  | { kind: 'finished'; sessionId: string };

/** The answer to a message: its result, a DomainError's fields, or "not mine, ask that instance". */
export type ClusterReply =
  | { ok: true; data: unknown }
  | { ok: false; error: { code: string; message: string; field?: string } }
  | { ok: false; internal: string }
  | { ok: false; redirect: string };

export interface MediaCluster {
  /** This instance's id. */
  readonly self: string;
  /** False when this is the only instance (no Redis): every room is this instance's, nothing is sent. */
  readonly shared: boolean;
  /** The live owner of a room, claiming it for this instance when it has none (or its owner died). */
  claim(roomId: string, sessionId: string): Promise<RoomClaim>;
  /** The live owner of a room, or null when nobody alive holds it. */
  ownerOf(roomId: string): Promise<string | null>;
  /** Who Redis says holds each room (alive or not), null where nobody does. */
  holders(roomIds: string[]): Promise<Array<string | null>>;
  /** This instance no longer holds the room (closed, released when idle, lost with the SFU). */
  release(roomId: string): Promise<void>;
  /** The live instance holding the participant's seat, or null. */
  seatOwner(participantId: string): Promise<string | null>;
  seatTaken(participantId: string): Promise<void>;
  seatFreed(participantId: string): Promise<void>;
  /**
   * Sends to one instance and waits for its answer at most `withinMs`: an instance that is gone
   * (nobody listens) or silent is answered for with MEDIA_UNAVAILABLE.
   */
  call(instance: string, message: ClusterMessage, withinMs: number): Promise<ClusterReply>;
  /** Sends to every other instance, without waiting for answers. */
  broadcast(message: ClusterMessage): Promise<void>;
  /** What this instance answers to messages from the others. */
  serve(handler: (message: ClusterMessage) => Promise<ClusterReply>): void;
  /**
   * Called once per room whose owner died without releasing it (exactly one instance is called,
   * whichever found it first): the room's session must be told to join its media again.
   */
  onOrphaned(listener: (orphan: { roomId: string; sessionId: string; owner: string }) => void): void;
  /** Stops answering and declares this instance gone (its rooms are then orphans). */
  close(): Promise<void>;
}

export const MEDIA_CLUSTER = Symbol('MEDIA_CLUSTER');

/** One instance: it owns every room and every seat; nothing is ever sent. */
export class SoloMediaCluster implements MediaCluster {
  readonly self = 'solo';
  readonly shared = false;
  claim(): Promise<RoomClaim> {
    return Promise.resolve({ owner: this.self, tookOverFrom: null });
  }
  ownerOf(): Promise<string | null> {
    return Promise.resolve(this.self);
  }
  holders(roomIds: string[]): Promise<Array<string | null>> {
    return Promise.resolve(roomIds.map(() => this.self));
  }
  release(): Promise<void> {
    return Promise.resolve();
  }
  seatOwner(): Promise<string | null> {
    return Promise.resolve(this.self);
  }
  seatTaken(): Promise<void> {
    return Promise.resolve();
  }
  seatFreed(): Promise<void> {
    return Promise.resolve();
  }
  call(): Promise<ClusterReply> {
    return Promise.reject(new Error('one instance: there is nobody to call'));
  }
  broadcast(): Promise<void> {
    return Promise.resolve();
  }
  serve(): void {}
  onOrphaned(): void {}
  close(): Promise<void> {
    return Promise.resolve();
  }
}
