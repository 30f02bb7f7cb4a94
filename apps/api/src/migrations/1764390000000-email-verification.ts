import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Addresses proven by mail: when an account proved its address (null for every account made
 * before — they count as unverified), and the mailed links (digest only, single use, expiring),
 * for an account or for a claim of an address.
 */
export class EmailVerification1764390000000 implements MigrationInterface {
  name = 'EmailVerification1764390000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" ADD "email_verified_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(
      `CREATE TABLE "email_verifications" ("id" uuid NOT NULL, "email" character varying(254) NOT NULL, "user_id" uuid, "token_hash" character(64) NOT NULL, "password_hash" character varying(255), "display_name" character varying(120), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_7939cc2e493281f265179fa86ce" UNIQUE ("token_hash"), CONSTRAINT "PK_c1ea2921e767f83cd44c0af203f" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "email_verifications_email" ON "email_verifications"  ("email") `);
    await q.query(
      `ALTER TABLE "email_verifications" ADD CONSTRAINT "FK_c4f1838323ae1dff5aa00148915" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "email_verifications"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "email_verified_at"`);
  }
}
