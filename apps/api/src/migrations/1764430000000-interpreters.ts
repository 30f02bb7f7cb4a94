import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Interpretation: a session declares its languages (empty for every session before); an
 * interpreter participant (and invitation) carries a pair of them, and the party that brought
 * them in a column of its own — party_id stays a delegation member's only.
 */
export class Interpreters1764430000000 implements MigrationInterface {
  name = 'Interpreters1764430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "mediation_sessions" ADD "languages" jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`ALTER TABLE "participants" ADD "brought_by_party_id" uuid`);
    await q.query(`ALTER TABLE "participants" ADD "languages" jsonb`);
    await q.query(`ALTER TABLE "invitations" ADD "languages" jsonb`);
    // TypeORM compares checks by name only: the widened role list is replaced by hand.
    await q.query(`ALTER TABLE "participants" DROP CONSTRAINT "participants_role"`);
    await q.query(
      `ALTER TABLE "participants" ADD CONSTRAINT "participants_role" CHECK ("role" IN ('lead_mediator', 'co_mediator', 'party_member', 'observer', 'interpreter'))`,
    );
    await q.query(
      `ALTER TABLE "participants" ADD CONSTRAINT "participants_brought_by" CHECK ("brought_by_party_id" IS NULL OR "role" = 'interpreter')`,
    );
    await q.query(
      `ALTER TABLE "participants" ADD CONSTRAINT "participants_interpreter_languages" CHECK (("role" = 'interpreter') = ("languages" IS NOT NULL))`,
    );
    await q.query(
      `ALTER TABLE "participants" ADD CONSTRAINT "FK_ba1948f3a3887897e43381249c4" FOREIGN KEY ("brought_by_party_id") REFERENCES "parties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "participants" WHERE "role" = 'interpreter'`);
    await q.query(`DELETE FROM "invitations" WHERE "role" = 'interpreter'`);
    await q.query(`ALTER TABLE "participants" DROP CONSTRAINT "FK_ba1948f3a3887897e43381249c4"`);
    await q.query(`ALTER TABLE "participants" DROP CONSTRAINT "participants_interpreter_languages"`);
    await q.query(`ALTER TABLE "participants" DROP CONSTRAINT "participants_brought_by"`);
    await q.query(`ALTER TABLE "participants" DROP CONSTRAINT "participants_role"`);
    await q.query(
      `ALTER TABLE "participants" ADD CONSTRAINT "participants_role" CHECK ("role" IN ('lead_mediator', 'co_mediator', 'party_member', 'observer'))`,
    );
    await q.query(`ALTER TABLE "invitations" DROP COLUMN "languages"`);
    await q.query(`ALTER TABLE "participants" DROP COLUMN "languages"`);
    await q.query(`ALTER TABLE "participants" DROP COLUMN "brought_by_party_id"`);
    await q.query(`ALTER TABLE "mediation_sessions" DROP COLUMN "languages"`);
  }
}
