import { Inject, Injectable } from '@nestjs/common';
import type { RoomEvent } from '@parley/contracts';
import { REALTIME_CHANNEL, type RealtimeChannel } from '@parley/sessions';
import { isShuttleEvent } from '../domain';

/** A write that may append to room streams, open from before its statement runs until its events are out. */
export interface StreamWrite {
  /**
   * It committed these events: send them, each room's in seq order, to every socket in the room
   * but `exceptSocketId` (the sender's, which has the event in its acknowledgement). Ends the write.
   */
  publish(events: readonly RoomEvent[], exceptSocketId?: string): void;
  /** It is over (idempotent): when nothing was published, it stored nothing (failed, rolled back, a repeat). */
  end(): void;
}

interface Held {
  event: RoomEvent;
  /** The socket that has it already (its sender's). */
  except?: string;
  /** The writes in flight when this event's write came back: one of them may hold an earlier seq. */
  waitsFor: number[];
  deadline: number;
}

interface RoomLine {
  /** The last seq this process sent in the room (unknown until it sends one). */
  last: number | null;
  /** Events waiting for an earlier one, ascending by seq. */
  held: Held[];
  timer: ReturnType<typeof setTimeout> | null;
}

/**
 * How long an event may wait for an earlier one at most; past it, it goes out anyway (the client
 * catches up). A safety net, not the usual wait: an event waits only while a write that may hold
 * the earlier seq is open here, and that seq is committed already, so its answer is on its way —
 * it takes longer only when a process stalls (seen: 200 ms and more for a PostgreSQL backend or
 * this process on a loaded 2-core machine).
 */
export const HOLD_AT_MOST_MS = 1_000;
/** Rooms whose last seq is remembered; older ones are forgotten (they fall back on the in-flight rule). */
const REMEMBERED_ROOMS = 10_000;

/**
 * Sends each room's live events in seq order. Seqs are taken inside the writing statement and the
 * counter row stays locked until commit, so commits happen in seq order and N+1 committed means N
 * committed (a rolled-back write gives its number back). But the answers of two commits can reach
 * this process, and their emits happen, in the other order. So an event waits for the seq before
 * it, but only while that seq may still come from here: while a write of this process that was in
 * flight when the event's write came back is still open. Once those are over, the missing seq is
 * not this process's (another API instance's, or a process that died) and the event goes out.
 * The wait is bounded (HOLD_AT_MOST_MS); the client's StreamCursor covers true gaps.
 */
@Injectable()
export class RoomEventSequencer {
  private nextWrite = 1;
  /** Open writes' ids. */
  private readonly open = new Set<number>();
  /** Open writes by the room they write to (null: any room), so an event's wait is found without a scan of every open write. */
  private readonly openByRoom = new Map<string | null, Set<number>>();
  private readonly lines = new Map<string, RoomLine>();
  /** Rooms with held events. */
  private readonly waiting = new Set<string>();
  readonly holdMs = HOLD_AT_MOST_MS;

  constructor(@Inject(REALTIME_CHANNEL) private readonly channel: RealtimeChannel) {}

  /** Opens a write about to append to `roomId`'s stream (or, without one, to any room's). */
  begin(roomId: string | null = null): StreamWrite {
    const id = this.nextWrite++;
    this.open.add(id);
    const inRoom = this.openByRoom.get(roomId) ?? new Set<number>();
    inRoom.add(id);
    this.openByRoom.set(roomId, inRoom);
    let ended = false;
    const end = (events: readonly RoomEvent[], except?: string) => {
      if (ended) return;
      ended = true;
      this.open.delete(id);
      inRoom.delete(id);
      if (!inRoom.size && this.openByRoom.get(roomId) === inRoom) this.openByRoom.delete(roomId);
      const now = Date.now();
      for (const event of events) this.hold(event, now, except);
      // This write's end may release events held for it, in any room.
      for (const room of [...this.waiting]) this.flush(room, this.lines.get(room)!);
    };
    return { publish: (events, except) => end(events, except), end: () => end([]) };
  }

  /** Writes still open (for tests and diagnostics). */
  get openWrites(): number {
    return this.open.size;
  }

  private hold(event: RoomEvent, now: number, except?: string): void {
    const line = this.line(event.roomId);
    const waitsFor = [...(this.openByRoom.get(event.roomId) ?? []), ...(this.openByRoom.get(null) ?? [])];
    const at = line.held.findIndex((h) => h.event.seq > event.seq);
    const held = { event, except, waitsFor, deadline: now + this.holdMs };
    if (at === -1) line.held.push(held);
    else line.held.splice(at, 0, held);
    this.waiting.add(event.roomId);
  }

  private flush(roomId: string, line: RoomLine): void {
    const now = Date.now();
    // An event held too long goes out, and everything before it with it (the order is kept).
    const overdueUpTo = line.held.reduce((seq, h) => (h.deadline <= now ? Math.max(seq, h.event.seq) : seq), -Infinity);
    while (line.held.length) {
      const { event, except, waitsFor } = line.held[0];
      const next = event.seq === 1 || (line.last !== null && event.seq <= line.last + 1);
      const nothingEarlierComing = !waitsFor.some((id) => this.open.has(id));
      if (!next && !nothingEarlierComing && event.seq > overdueUpTo) break;
      line.held.shift();
      // Interpreters are given no shuttle event (mayReceiveRoomEvent), live as in history.
      this.channel.toRoom(roomId, 'room.event', event, except, isShuttleEvent(event.type) ? { exceptInterpreters: true } : undefined);
      line.last = Math.max(line.last ?? 0, event.seq);
    }
    if (line.timer) clearTimeout(line.timer);
    line.timer = null;
    if (!line.held.length) {
      this.waiting.delete(roomId);
      return;
    }
    const soonest = Math.min(...line.held.map((h) => h.deadline));
    line.timer = setTimeout(() => this.flush(roomId, line), Math.max(0, soonest - now));
    line.timer.unref?.();
  }

  private line(roomId: string): RoomLine {
    let line = this.lines.get(roomId);
    if (line) {
      // Most recently used last, so the oldest is the first to forget.
      this.lines.delete(roomId);
    } else {
      line = { last: null, held: [], timer: null };
      if (this.lines.size >= REMEMBERED_ROOMS) this.forgetOldest();
    }
    this.lines.set(roomId, line);
    return line;
  }

  private forgetOldest(): void {
    for (const [room, line] of this.lines) {
      if (line.held.length) continue;
      this.lines.delete(room);
      return;
    }
  }
}
