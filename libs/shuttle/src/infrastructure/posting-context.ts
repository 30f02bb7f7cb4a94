import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ParticipantRole, RoomKind, SessionStatus } from '@parley/contracts';
import { APP_CONFIG, GroupCommit, preparedQuery, type AppConfig } from '@parley/platform';
import { PostingContexts, type PostingContext, type RecalledContext } from '../application/posting-contexts';
import { sessionNotFound, type Room } from '@parley/sessions';

interface ContextRow {
  ord: string | number;
  status: SessionStatus;
  participant_id: string;
  role: ParticipantRole;
  party_id: string | null;
  brought_by_party_id: string | null;
  is_head: boolean;
  current_room_id: string | null;
  display_name: string;
  room_id: string | null;
  kind: RoomKind | null;
  room_party_id: string | null;
  closed_at: Date | null;
  named: boolean | null;
}

interface ContextQuery {
  sessionId: string;
  userId: string;
  roomId: string;
}

/** Contexts remembered at most (a few hundred bytes each: about 5 MB when full); the oldest read is forgotten first. */
const REMEMBERED = 20_000;

/**
 * The posting contexts in one round trip, and those asked for together in one statement: reads
 * arriving while one is under way are grouped as chat writes are (see GroupCommit), so a busy
 * room costs one read per batch rather than one per post — which matters most on the embedded
 * database, where every statement waits its turn. A caller outside the session gets
 * SESSION_NOT_FOUND, alone.
 *
 * The last context read for each (session, caller, room) is remembered and answered from memory
 * unless a fresh read is asked for: a poster's seat changes rarely, while posts come every few
 * seconds. That is safe only because a remembered context is never trusted to refuse and the chat
 * write checks every fact of it (see PostChatMessageUseCase, parley_append_decided_chats). Each instance
 * remembers its own; none needs telling of a change made elsewhere.
 */
@Injectable()
export class SqlPostingContexts extends PostingContexts {
  private readonly reads: GroupCommit<ContextQuery, PostingContext | null>;
  private readonly remembered = new Map<string, PostingContext>();
  private recalled = 0;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super();
    this.reads = new GroupCommit((queries) => this.readAll(queries), config.chatCommit);
  }

  async load(sessionId: string, userId: string, roomId: string, opts: { fresh?: boolean } = {}): Promise<RecalledContext> {
    const key = `${sessionId}/${userId}/${roomId}`;
    const known = opts.fresh ? undefined : this.remembered.get(key);
    if (known) {
      this.recalled++;
      return { context: known, remembered: true };
    }
    const context = await this.reads.submit({ sessionId, userId, roomId });
    this.remembered.delete(key);
    if (!context) throw sessionNotFound();
    // A room that is not there is not remembered: a caller naming rooms at random fills no memory.
    if (context.room) {
      if (this.remembered.size >= REMEMBERED) this.remembered.delete(this.remembered.keys().next().value!);
      this.remembered.set(key, context);
    }
    return { context, remembered: false };
  }

  /** Contexts answered from memory since start, and reads made (for tests and the benchmark). */
  stats(): { recalled: number; reads: number; batches: number } {
    const { writes, posts } = this.reads.stats();
    return { recalled: this.recalled, reads: posts, batches: writes };
  }

  private async readAll(queries: ContextQuery[]): Promise<Array<PostingContext | null>> {
    const rows = await preparedQuery<ContextRow>(
      this.dataSource,
      `SELECT q.ord, s.status, p.id AS participant_id, p.role, p.party_id, p.brought_by_party_id, p.is_head, p.room_id AS current_room_id, p.display_name,
              r.id AS room_id, r.kind, r.party_id AS room_party_id, r.closed_at,
              EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = r.id AND m.participant_id = p.id) AS named
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS q(session_id, user_id, room_id, ord)
         JOIN mediation_sessions s ON s.id = q.session_id
         JOIN participants p ON p.session_id = s.id AND p.user_id = q.user_id
         LEFT JOIN rooms r ON r.id = q.room_id AND r.session_id = s.id`,
      [queries.map((q) => q.sessionId), queries.map((q) => q.userId), queries.map((q) => q.roomId)],
    );
    const byOrd = new Map(rows.map((r) => [Number(r.ord), r]));
    return queries.map((_, i) => {
      const row = byOrd.get(i + 1);
      return row ? toContext(row) : null;
    });
  }
}

function toContext(row: ContextRow): PostingContext {
  const actor = {
    id: row.participant_id,
    role: row.role,
    partyId: row.party_id,
    // An interpreter's caucus is the party's that brought them (the membership rule reads it).
    broughtByPartyId: row.brought_by_party_id,
    isHead: row.is_head,
    roomId: row.current_room_id,
    displayName: row.display_name,
  };
  const room: Room | null = row.room_id
    ? {
        id: row.room_id,
        kind: row.kind!,
        partyId: row.room_party_id,
        memberIds: row.named ? [row.participant_id] : [],
        closed: row.closed_at !== null,
      }
    : null;
  return { status: row.status, actor, room };
}
