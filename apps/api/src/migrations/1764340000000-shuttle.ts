import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shuttle diplomacy: room streams (a gap-free sequence per room and its events, chat included),
 * shuttle messages with their review state, and the per-session cooling-off delay.
 */
export class Shuttle1764340000000 implements MigrationInterface {
  name = 'Shuttle1764340000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "room_streams" ("room_id" uuid NOT NULL, "last_seq" integer NOT NULL, CONSTRAINT "PK_ff74099092dbdd50595dd8ac250" PRIMARY KEY ("room_id"))`,
    );
    await q.query(
      `CREATE TABLE "room_events" ("id" uuid NOT NULL, "session_id" uuid NOT NULL, "room_id" uuid NOT NULL, "seq" integer NOT NULL, "type" character varying(32) NOT NULL, "payload" jsonb NOT NULL, "author_participant_id" uuid, "client_key" character varying(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e4790894bd239f0afc7d5c85c10" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "room_events_idempotency" ON "room_events"  ("author_participant_id", "client_key") WHERE "client_key" IS NOT NULL`,
    );
    await q.query(`CREATE UNIQUE INDEX "room_events_room_seq" ON "room_events"  ("room_id", "seq") `);
    await q.query(
      `CREATE TABLE "shuttle_messages" ("id" uuid NOT NULL, "session_id" uuid NOT NULL, "party_id" uuid NOT NULL, "author_participant_id" uuid NOT NULL, "label" character varying(16) NOT NULL, "convey_to_party_id" uuid, "text" text NOT NULL, "status" character varying(16) NOT NULL, "release_at" TIMESTAMP WITH TIME ZONE NOT NULL, "conveyed_text" text, "convey_mode" character varying(16), "decline_reason" text, "decided_by_participant_id" uuid, "client_key" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "shuttle_messages_mediator_only" CHECK ("label" = 'conveyable' OR ("convey_to_party_id" IS NULL AND "conveyed_text" IS NULL)), CONSTRAINT "shuttle_messages_status" CHECK ("status" IN ('cooling', 'pending', 'held', 'conveyed', 'declined', 'withdrawn')), CONSTRAINT "shuttle_messages_label" CHECK ("label" IN ('mediator_only', 'conveyable')), CONSTRAINT "PK_ed6c1fc576bfa7d79e6877dc58e" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "shuttle_messages_cooling" ON "shuttle_messages"  ("release_at") WHERE "status" = 'cooling'`);
    await q.query(`CREATE INDEX "shuttle_messages_queue" ON "shuttle_messages"  ("session_id", "status") `);
    await q.query(`CREATE UNIQUE INDEX "shuttle_messages_idempotency" ON "shuttle_messages"  ("author_participant_id", "client_key") `);
    await q.query(`ALTER TABLE "mediation_sessions" ADD "cooling_off_seconds" integer NOT NULL DEFAULT '0'`);
    await q.query(
      `ALTER TABLE "room_streams" ADD CONSTRAINT "FK_ff74099092dbdd50595dd8ac250" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "shuttle_messages" ADD CONSTRAINT "FK_c1c9a685539d18fd946359f81bd" FOREIGN KEY ("session_id") REFERENCES "mediation_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "shuttle_messages" ADD CONSTRAINT "FK_fa8d2280eb6279673f9bdb9491d" FOREIGN KEY ("party_id") REFERENCES "parties"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "shuttle_messages" ADD CONSTRAINT "FK_088005f2cba18d092c931067457" FOREIGN KEY ("author_participant_id") REFERENCES "participants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "shuttle_messages"`);
    await q.query(`DROP TABLE "room_events"`);
    await q.query(`DROP TABLE "room_streams"`);
    await q.query(`ALTER TABLE "mediation_sessions" DROP COLUMN "cooling_off_seconds"`);
  }
}
