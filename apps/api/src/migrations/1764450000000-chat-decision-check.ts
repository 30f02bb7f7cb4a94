import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The chat write checks everything a post was decided on (issue 17). `parley_append_chats`
 * (1764420000000) checks, under lock, that the poster's seat and role are still those the decision
 * saw; the rest of the decision (the session's status, the room open, a joint room naming the
 * poster, the poster's party and name) used to be read just before the write. Posting contexts
 * are now remembered between posts (SqlPostingContexts), so the write must prove all of it.
 *
 * `parley_append_decided_chats(posts)` takes the same posts, each also carrying `decided_on` —
 * party, brought_by, is_head, name, status, closed, named — and answers each in the same shape:
 * `stale` (nothing written: decide again on a fresh read) unless every fact still holds, else what
 * `parley_append_chats` answers for it, whose `unseated` (the seat or role changed) is `stale` too.
 * One statement, one round trip, one commit, as before. Status changes, room closings and role
 * changes move people in the same transaction, so the seat check under lock already orders them
 * against a batch; the other facts are checked without a lock, as they were read before.
 */
export class ChatDecisionCheck1764450000000 implements MigrationInterface {
  name = 'ChatDecisionCheck1764450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
CREATE FUNCTION parley_append_decided_chats(posts jsonb)
RETURNS TABLE (o_ord integer, o_outcome text, o_seq integer, o_created_at timestamptz)
LANGUAGE sql AS $fn$
  WITH given AS (
    SELECT e AS p, e->'decided_on' AS d, ord::integer AS ord FROM jsonb_array_elements(posts) WITH ORDINALITY AS x(e, ord)
  ), checked AS (
    SELECT p, ord, EXISTS (
      SELECT 1 FROM participants pa
        JOIN mediation_sessions s ON s.id = pa.session_id
        JOIN rooms r ON r.id = (p->>'room_id')::uuid AND r.session_id = pa.session_id
       WHERE pa.id = (p->>'author')::uuid AND pa.session_id = (p->>'session_id')::uuid
         AND pa.party_id IS NOT DISTINCT FROM (d->>'party')::uuid
         AND pa.brought_by_party_id IS NOT DISTINCT FROM (d->>'brought_by')::uuid
         AND pa.is_head = (d->>'is_head')::boolean
         AND pa.display_name = d->>'name'
         AND s.status = d->>'status'
         AND (r.closed_at IS NOT NULL) = (d->>'closed')::boolean
         AND EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = r.id AND m.participant_id = pa.id) = (d->>'named')::boolean
    ) AS holds FROM given
  ), held AS (
    SELECT p, ord, row_number() OVER (ORDER BY ord)::integer AS k FROM checked WHERE holds
  ), written AS MATERIALIZED (
    SELECT * FROM parley_append_chats((SELECT coalesce(jsonb_agg(p ORDER BY ord), '[]'::jsonb) FROM held))
  )
  SELECT h.ord, CASE w.o_outcome WHEN 'unseated' THEN 'stale' ELSE w.o_outcome END, w.o_seq, w.o_created_at
    FROM held h JOIN written w ON w.o_ord = h.k
  UNION ALL
  SELECT ord, 'stale', NULL, NULL FROM checked WHERE NOT holds
$fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION parley_append_decided_chats(jsonb)`);
  }
}
