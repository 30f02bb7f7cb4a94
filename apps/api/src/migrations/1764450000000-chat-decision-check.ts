import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CHAIN_AUDIT_ENTRY, ChatGroupCommit1764420000000, POST_VARIABLES, STORE_CHAT_EVENT } from './1764420000000-chat-group-commit';

/**
 * The chat write checks everything a post was decided on (issue 17). Posting contexts are now
 * remembered between a poster's posts (SqlPostingContexts), so the write must prove every fact the
 * decision read, not the seat and role only as `parley_append_chats` (1764420000000) did.
 *
 * `parley_append_decided_chats(posts)` writes a batch of decided posts in one statement (one round
 * trip, one commit). Each post carries `decided_on`: role, seat_room, party, brought_by, is_head,
 * name, status, closed, named. For each post, in the order given: unless every one of those still
 * holds, `stale` (nothing written; the post is decided again on a fresh read); else it takes the
 * room's next number, is stored under its (author, client key) — `repeat` if that key was used
 * before, its number given back — and its audit entry is chained.
 *
 * Locks are taken up front and in one order for every batch — the posters' participant rows
 * (shared, so a move waits for the batch and the batch for a move), then the rooms' stream
 * counters, then the sessions' audit heads, each by id — so two batches, or a batch and a single
 * write (a seat, a counter, then a head), never wait on each other in a cycle. Status changes,
 * room closings and role changes move or touch the participant rows they concern in the same
 * transaction, so they too are ordered against a batch; a name or a joint room's named members
 * are checked as they stand at the check. Rows are found by index (`= ANY` of the batch's ids)
 * whatever the tables' size. The link hash is the formula of `linkHash`
 * (libs/audit/src/domain/audit-chain.ts) and of `AuditTrail.append`: sha256(prev_hash ':' seq ':'
 * content digest), hex; the content digest comes from the server.
 *
 * It replaces `parley_append_chats`, which is dropped (down restores it).
 */
export class ChatDecisionCheck1764450000000 implements MigrationInterface {
  name = 'ChatDecisionCheck1764450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
CREATE FUNCTION parley_append_decided_chats(posts jsonb)
RETURNS TABLE (o_ord integer, o_outcome text, o_seq integer, o_created_at timestamptz)
LANGUAGE plpgsql AS $fn$
DECLARE
  authors uuid[];
  streams uuid[];
  heads uuid[];
  p jsonb;
  d jsonb;
${POST_VARIABLES}BEGIN
  SELECT array_agg(DISTINCT (e->>'author')::uuid), array_agg(DISTINCT (e->>'room_id')::uuid), array_agg(DISTINCT (e->>'session_id')::uuid)
    INTO authors, streams, heads FROM jsonb_array_elements(posts) e;
  PERFORM 1 FROM participants WHERE id = ANY (authors) ORDER BY id FOR SHARE;
  INSERT INTO room_streams (room_id, last_seq) SELECT r, 0 FROM unnest(streams) r ORDER BY r ON CONFLICT (room_id) DO NOTHING;
  PERFORM 1 FROM room_streams WHERE room_id = ANY (streams) ORDER BY room_id FOR UPDATE;
  PERFORM 1 FROM audit_heads WHERE session_id = ANY (heads) ORDER BY session_id FOR UPDATE;

  o_ord := 0;
  FOR p IN SELECT e FROM jsonb_array_elements(posts) e LOOP
    o_ord := o_ord + 1; o_seq := NULL; o_created_at := NULL;
    d := p->'decided_on';
    IF NOT EXISTS (
      SELECT 1 FROM participants pa
        JOIN mediation_sessions ms ON ms.id = pa.session_id
        JOIN rooms r ON r.id = (p->>'room_id')::uuid AND r.session_id = pa.session_id
       WHERE pa.id = (p->>'author')::uuid AND pa.session_id = (p->>'session_id')::uuid
         AND pa.role = d->>'role'
         AND pa.room_id IS NOT DISTINCT FROM (d->>'seat_room')::uuid
         AND pa.party_id IS NOT DISTINCT FROM (d->>'party')::uuid
         AND pa.brought_by_party_id IS NOT DISTINCT FROM (d->>'brought_by')::uuid
         AND pa.is_head = (d->>'is_head')::boolean
         AND pa.display_name = d->>'name'
         AND ms.status = d->>'status'
         AND (r.closed_at IS NOT NULL) = (d->>'closed')::boolean
         AND EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = r.id AND m.participant_id = pa.id) = (d->>'named')::boolean
    ) THEN
      o_outcome := 'stale'; RETURN NEXT; CONTINUE;
    END IF;
    UPDATE room_streams SET last_seq = last_seq + 1 WHERE room_id = (p->>'room_id')::uuid RETURNING last_seq INTO s;
${STORE_CHAT_EVENT}${CHAIN_AUDIT_ENTRY}    o_outcome := 'stored'; o_seq := s; o_created_at := c; RETURN NEXT;
  END LOOP;
END
$fn$`);
    await q.query(`DROP FUNCTION parley_append_chats(jsonb)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION parley_append_decided_chats(jsonb)`);
    await new ChatGroupCommit1764420000000().up(q);
  }
}
