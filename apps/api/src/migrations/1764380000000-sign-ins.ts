import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-ins end: a request reads its token's refresh family by this index (is it revoked?), and a
 * deleted account keeps its row as a tombstone, marked by deleted_at.
 */
export class SignIns1764380000000 implements MigrationInterface {
  name = 'SignIns1764380000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" ADD "deleted_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`CREATE INDEX "refresh_tokens_family" ON "refresh_tokens" ("family_id") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."refresh_tokens_family"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "deleted_at"`);
  }
}
