import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Breaks keep seats: a suspended session's break (reason, start, announced end) and, per person
 * sent to the lobby by the suspension, the room they were in and as whom.
 */
export class Breaks1764370000000 implements MigrationInterface {
  name = 'Breaks1764370000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "mediation_sessions" ADD "break_reason" character varying(200)`);
    await q.query(`ALTER TABLE "mediation_sessions" ADD "break_started_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "mediation_sessions" ADD "break_ends_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(
      `CREATE TABLE "break_seats" ("participant_id" uuid NOT NULL, "session_id" uuid NOT NULL, "room_id" uuid NOT NULL, "role" character varying(16) NOT NULL, "party_id" uuid, CONSTRAINT "PK_9a4e6fe35e4d3dd22e3d310aaf3" PRIMARY KEY ("participant_id"))`,
    );
    await q.query(`CREATE INDEX "break_seats_session" ON "break_seats"  ("session_id") `);
    await q.query(
      `ALTER TABLE "break_seats" ADD CONSTRAINT "FK_9a4e6fe35e4d3dd22e3d310aaf3" FOREIGN KEY ("participant_id") REFERENCES "participants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "break_seats" ADD CONSTRAINT "FK_396723a827bf8ddeacff2b86791" FOREIGN KEY ("session_id") REFERENCES "mediation_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "break_seats" ADD CONSTRAINT "FK_cfb2c271921b3096a68cd87627e" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "break_seats"`);
    await q.query(`ALTER TABLE "mediation_sessions" DROP COLUMN "break_ends_at"`);
    await q.query(`ALTER TABLE "mediation_sessions" DROP COLUMN "break_started_at"`);
    await q.query(`ALTER TABLE "mediation_sessions" DROP COLUMN "break_reason"`);
  }
}
