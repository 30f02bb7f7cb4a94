import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The floor of a room: raised hands (one per participant, with the room it was raised in and
 * when) and each room's clock set by a mediator (1 s to 24 h).
 */
export class Floor1764410000000 implements MigrationInterface {
  name = 'Floor1764410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "raised_hands" ("participant_id" uuid NOT NULL, "session_id" uuid NOT NULL, "room_id" uuid NOT NULL, "raised_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_26bbe246d29a78d4fceab58038d" PRIMARY KEY ("participant_id"))`,
    );
    await q.query(`CREATE INDEX "raised_hands_room" ON "raised_hands"  ("room_id", "raised_at") `);
    await q.query(
      `CREATE TABLE "room_timers" ("room_id" uuid NOT NULL, "session_id" uuid NOT NULL, "purpose" character varying(16) NOT NULL, "label" character varying(80), "duration_seconds" integer NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "set_by" uuid NOT NULL, CONSTRAINT "room_timers_duration" CHECK ("duration_seconds" BETWEEN 1 AND 86400), CONSTRAINT "room_timers_purpose" CHECK ("purpose" IN ('speaking', 'break', 'other')), CONSTRAINT "PK_d4e41da04456bdbb784cc6aa24a" PRIMARY KEY ("room_id"))`,
    );
    await q.query(`CREATE INDEX "room_timers_session" ON "room_timers"  ("session_id") `);
    await q.query(
      `ALTER TABLE "raised_hands" ADD CONSTRAINT "FK_26bbe246d29a78d4fceab58038d" FOREIGN KEY ("participant_id") REFERENCES "participants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "raised_hands" ADD CONSTRAINT "FK_3c71fd52958275f4a797d4bfa71" FOREIGN KEY ("session_id") REFERENCES "mediation_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "raised_hands" ADD CONSTRAINT "FK_d3a2054891d05feb52601ac248f" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "room_timers" ADD CONSTRAINT "FK_d4e41da04456bdbb784cc6aa24a" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "room_timers" ADD CONSTRAINT "FK_ca3c41d2c08ba833f03d92114b1" FOREIGN KEY ("session_id") REFERENCES "mediation_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "room_timers"`);
    await q.query(`DROP TABLE "raised_hands"`);
  }
}
