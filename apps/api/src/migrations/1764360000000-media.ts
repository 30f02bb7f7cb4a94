import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Media: each room's low-bandwidth mode and bitrate cap, as the mediators set them. */
export class Media1764360000000 implements MigrationInterface {
  name = 'Media1764360000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "media_room_settings" ("room_id" uuid NOT NULL, "session_id" uuid NOT NULL, "audio_only" boolean NOT NULL, "bitrate_kbps" integer, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e2abb9fbcedcb0dae8c91d64cb9" PRIMARY KEY ("room_id"))`,
    );
    await q.query(
      `ALTER TABLE "media_room_settings" ADD CONSTRAINT "FK_e2abb9fbcedcb0dae8c91d64cb9" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "media_room_settings"`);
  }
}
