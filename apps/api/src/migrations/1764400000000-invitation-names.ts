import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An invitation names its person: the display name the mediator gave it (null for every
 * invitation made before, which were labelled by role only).
 */
export class InvitationNames1764400000000 implements MigrationInterface {
  name = 'InvitationNames1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "invitations" ADD "display_name" character varying(120)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "invitations" DROP COLUMN "display_name"`);
  }
}
