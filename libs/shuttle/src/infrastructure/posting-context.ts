import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ParticipantRole, RoomKind, SessionStatus } from '@parley/contracts';
import { preparedQuery } from '@parley/platform';
import { PostingContexts, type PostingContext } from '../application/posting-contexts';
import { sessionNotFound, type Room } from '@parley/sessions';

/** The posting context in one round trip (see the port). */
@Injectable()
export class SqlPostingContexts extends PostingContexts {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  load(sessionId: string, userId: string, roomId: string): Promise<PostingContext> {
    return loadPostingContext(this.dataSource, sessionId, userId, roomId);
  }
}

async function loadPostingContext(dataSource: DataSource, sessionId: string, userId: string, roomId: string): Promise<PostingContext> {
  const rows: Array<{
    status: SessionStatus;
    participant_id: string;
    role: ParticipantRole;
    party_id: string | null;
    is_head: boolean;
    current_room_id: string | null;
    display_name: string;
    room_id: string | null;
    kind: RoomKind | null;
    room_party_id: string | null;
    closed_at: Date | null;
    named: boolean | null;
  }> = await preparedQuery(
    dataSource,
    `SELECT s.status, p.id AS participant_id, p.role, p.party_id, p.is_head, p.room_id AS current_room_id, p.display_name,
            r.id AS room_id, r.kind, r.party_id AS room_party_id, r.closed_at,
            EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = r.id AND m.participant_id = p.id) AS named
       FROM mediation_sessions s
       JOIN participants p ON p.session_id = s.id AND p.user_id = $2
       LEFT JOIN rooms r ON r.id = $3 AND r.session_id = s.id
      WHERE s.id = $1`,
    [sessionId, userId, roomId],
  );
  const row = rows[0];
  if (!row) throw sessionNotFound();
  const actor = {
    id: row.participant_id,
    role: row.role,
    partyId: row.party_id,
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
