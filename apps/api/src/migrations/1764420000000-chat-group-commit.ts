import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PL/pgSQL of one post, shared with the functions that replace this one (1764450000000): store the
 * post `p` as event number `s` of its room (the created time into `c`) — or, if its (author,
 * client key) is taken (by an earlier post, or a racing transaction now committed), give the
 * number back (the counter is still locked by this transaction, so no gap is left) and answer
 * `repeat` — then chain its audit entry (the head's seq and hashes into
 * `h_seq`, `h_prev`, `h_hash`, declared by POST_VARIABLES).
 */
export const POST_VARIABLES = `  s integer;
  c timestamptz;
  h_seq integer;
  h_prev text;
  h_hash text;
`;
export const STORE_CHAT_EVENT = `    INSERT INTO room_events (id, session_id, room_id, seq, type, payload, author_participant_id, client_key)
      VALUES ((p->>'id')::uuid, (p->>'session_id')::uuid, (p->>'room_id')::uuid, s, p->>'type', p->'payload',
              (p->>'author')::uuid, p->>'client_key')
      ON CONFLICT (author_participant_id, client_key) WHERE client_key IS NOT NULL DO NOTHING
      RETURNING room_events.created_at INTO c;
    IF NOT FOUND THEN
      UPDATE room_streams SET last_seq = last_seq - 1 WHERE room_id = (p->>'room_id')::uuid;
      o_outcome := 'repeat'; RETURN NEXT; CONTINUE;
    END IF;
`;
export const CHAIN_AUDIT_ENTRY = `    INSERT INTO audit_heads AS a (session_id, seq, prev_hash, hash)
      VALUES ((p->>'session_id')::uuid, 1, repeat('0', 64),
              encode(sha256(convert_to(repeat('0', 64) || ':1:' || (p->'audit'->>'digest'), 'UTF8')), 'hex'))
      ON CONFLICT (session_id) DO UPDATE SET
        seq = a.seq + 1,
        prev_hash = a.hash,
        hash = encode(sha256(convert_to(a.hash || ':' || (a.seq + 1)::text || ':' || (p->'audit'->>'digest'), 'UTF8')), 'hex')
      RETURNING a.seq, a.prev_hash, a.hash INTO h_seq, h_prev, h_hash;
    INSERT INTO audit_entries (id, session_id, seq, type, actor_user_id, actor_participant_id, payload, occurred_at, prev_hash, hash)
      VALUES ((p->'audit'->>'id')::uuid, (p->>'session_id')::uuid, h_seq, p->'audit'->>'type',
              (p->'audit'->>'actor_user_id')::uuid, (p->'audit'->>'actor_participant_id')::uuid, p->'audit'->'payload',
              (p->'audit'->>'occurred_at')::timestamptz, h_prev, h_hash);
`;

/**
 * Group commit of chat messages (issue 17): `parley_append_chats(posts)` writes a batch of decided
 * posts in one statement, so in one round trip and one commit. For each post, in the order given:
 * the poster's seat must still be the one the decision was made on (else `unseated`), its
 * (author, client key) must be new (else `repeat`), then it takes the room's next number and its
 * audit entry is chained — the same rules as one post alone, so nothing is decided differently in
 * a batch.
 *
 * Locks are taken up front and in one order for every batch — the posters' participant rows
 * (shared, so a move waits for the batch and the batch for a move), then the rooms' stream
 * counters, then the sessions' audit heads, each by id — so two batches, or a batch and a single
 * write (which locks a seat, a counter, then a head), never wait on each other in a cycle.
 *
 * A post whose key another transaction inserted meanwhile gets `repeat` and gives its number back
 * (the counter is still locked by this transaction, so no gap is left). The link hash is the
 * formula of `linkHash` (libs/audit/src/domain/audit-chain.ts) and of `AuditTrail.append`:
 * sha256(prev_hash ':' seq ':' content digest), hex; the content digest comes from the server.
 */
export class ChatGroupCommit1764420000000 implements MigrationInterface {
  name = 'ChatGroupCommit1764420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
CREATE FUNCTION parley_append_chats(posts jsonb)
RETURNS TABLE (o_ord integer, o_outcome text, o_seq integer, o_created_at timestamptz)
LANGUAGE plpgsql AS $fn$
DECLARE
  p jsonb;
  n integer := 0;
${POST_VARIABLES}BEGIN
  PERFORM 1 FROM participants
    WHERE id IN (SELECT DISTINCT (e->>'author')::uuid FROM jsonb_array_elements(posts) e)
    ORDER BY id FOR SHARE;
  INSERT INTO room_streams (room_id, last_seq)
    SELECT DISTINCT (e->>'room_id')::uuid, 0 FROM jsonb_array_elements(posts) e ORDER BY 1
    ON CONFLICT (room_id) DO NOTHING;
  PERFORM 1 FROM room_streams
    WHERE room_id IN (SELECT DISTINCT (e->>'room_id')::uuid FROM jsonb_array_elements(posts) e)
    ORDER BY room_id FOR UPDATE;
  PERFORM 1 FROM audit_heads
    WHERE session_id IN (SELECT DISTINCT (e->>'session_id')::uuid FROM jsonb_array_elements(posts) e)
    ORDER BY session_id FOR UPDATE;

  FOR p IN SELECT e FROM jsonb_array_elements(posts) e LOOP
    n := n + 1;
    o_ord := n; o_seq := NULL; o_created_at := NULL;
    IF NOT EXISTS (
      SELECT 1 FROM participants
       WHERE id = (p->>'author')::uuid AND role = p->>'role' AND room_id IS NOT DISTINCT FROM (p->>'seat_room')::uuid
    ) THEN
      o_outcome := 'unseated'; RETURN NEXT; CONTINUE;
    END IF;
    IF EXISTS (
      SELECT 1 FROM room_events WHERE author_participant_id = (p->>'author')::uuid AND client_key = p->>'client_key'
    ) THEN
      o_outcome := 'repeat'; RETURN NEXT; CONTINUE;
    END IF;
    UPDATE room_streams SET last_seq = last_seq + 1 WHERE room_id = (p->>'room_id')::uuid RETURNING last_seq INTO s;
${STORE_CHAT_EVENT}${CHAIN_AUDIT_ENTRY}    o_outcome := 'stored'; o_seq := s; o_created_at := c; RETURN NEXT;
  END LOOP;
END
$fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION parley_append_chats(jsonb)`);
  }
}
