import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inclusive consultation (issue 19): consultations of a session, their groups and links, one-time
 * codes (hashes only), anonymous respondents (group and return-code hash only), statements, votes
 * (no time, address or device is kept with any of them), and the summaries tabled into the session.
 */
export class Consultation1764440000000 implements MigrationInterface {
  name = 'Consultation1764440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "consultations" ("id" uuid NOT NULL, "session_id" uuid NOT NULL, "title" character varying(200) NOT NULL, "prompt" text NOT NULL, "excerpts" jsonb NOT NULL, "languages" jsonb NOT NULL, "opens_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closes_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE, "require_code" boolean NOT NULL, "statements_numbered" integer NOT NULL DEFAULT '0', "frozen_results" text, "frozen_sha256" character varying(64), "created_by_participant_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c5b78e9424d9bc68464f6a12103" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "consultations_session" ON "consultations"  ("session_id") `);
    await q.query(
      `CREATE TABLE "consultation_groups" ("id" uuid NOT NULL, "consultation_id" uuid NOT NULL, "name" character varying(80) NOT NULL, "position" integer NOT NULL, "link" character varying(32) NOT NULL, CONSTRAINT "PK_5ed20d2e1546919bfbf5a39bfe8" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "consultation_groups_order" ON "consultation_groups"  ("consultation_id", "position") `);
    await q.query(`CREATE UNIQUE INDEX "consultation_groups_link" ON "consultation_groups"  ("link") `);
    await q.query(
      `CREATE TABLE "consultation_codes" ("id" uuid NOT NULL, "group_id" uuid NOT NULL, "code_hash" character varying(64) NOT NULL, "used" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_0a2f0fc515e5197c8508b1b2b46" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "consultation_codes_hash" ON "consultation_codes"  ("code_hash") `);
    await q.query(
      `CREATE TABLE "consultation_respondents" ("id" uuid NOT NULL, "consultation_id" uuid NOT NULL, "group_id" uuid NOT NULL, "code_hash" character varying(64) NOT NULL, CONSTRAINT "PK_f39f4e695fa330b052a05a46728" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "consultation_respondents_code" ON "consultation_respondents"  ("code_hash") `);
    await q.query(
      `CREATE TABLE "consultation_statements" ("id" uuid NOT NULL, "consultation_id" uuid NOT NULL, "group_id" uuid NOT NULL, "respondent_id" uuid NOT NULL, "number" integer NOT NULL, "text" text NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "reason" character varying(32), "merged_into" uuid, CONSTRAINT "consultation_statements_status" CHECK ("status" IN ('pending', 'approved', 'rejected', 'merged')), CONSTRAINT "PK_1b2313ba765bfd0183df5af48de" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "consultation_statements_respondent" ON "consultation_statements"  ("respondent_id") `);
    await q.query(`CREATE UNIQUE INDEX "consultation_statements_number" ON "consultation_statements"  ("consultation_id", "number") `);
    await q.query(
      `CREATE TABLE "consultation_votes" ("statement_id" uuid NOT NULL, "respondent_id" uuid NOT NULL, "group_id" uuid NOT NULL, "vote" character varying(8) NOT NULL, CONSTRAINT "consultation_votes_value" CHECK ("vote" IN ('agree', 'disagree', 'pass')), CONSTRAINT "PK_4bf25e67b9a336fe6f8efa48120" PRIMARY KEY ("statement_id", "respondent_id"))`,
    );
    await q.query(`CREATE INDEX "consultation_votes_respondent" ON "consultation_votes"  ("respondent_id") `);
    await q.query(
      `CREATE TABLE "consultation_summaries" ("id" uuid NOT NULL, "session_id" uuid NOT NULL, "consultation_id" uuid NOT NULL, "content" text NOT NULL, "sha256" character varying(64) NOT NULL, "tabled_by_participant_id" uuid NOT NULL, "tabled_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_43da7567c3be4ded2c231352b61" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "consultation_summaries_session" ON "consultation_summaries"  ("session_id") `);
    await q.query(
      `ALTER TABLE "consultations" ADD CONSTRAINT "FK_ae34538738cf70850ab4bcf351a" FOREIGN KEY ("session_id") REFERENCES "mediation_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "consultation_groups" ADD CONSTRAINT "FK_7988c71459878fdef69aebfab9c" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "consultation_codes" ADD CONSTRAINT "FK_969ddfb6773cb502d6a16f138d4" FOREIGN KEY ("group_id") REFERENCES "consultation_groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "consultation_respondents" ADD CONSTRAINT "FK_9995ea2c52c9db654afb47ce042" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "consultation_respondents" ADD CONSTRAINT "FK_de8b604117808b5eff2cf71a9f0" FOREIGN KEY ("group_id") REFERENCES "consultation_groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "consultation_statements" ADD CONSTRAINT "FK_e0192f1c74255f486b36b4ad163" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "consultation_statements" ADD CONSTRAINT "FK_7d1b967e035a4f7f9515303e3c3" FOREIGN KEY ("respondent_id") REFERENCES "consultation_respondents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "consultation_votes" ADD CONSTRAINT "FK_e3aef2f5ec038922df4803c9bd6" FOREIGN KEY ("statement_id") REFERENCES "consultation_statements"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "consultation_votes" ADD CONSTRAINT "FK_609ca922315938f4ebaf2ca402b" FOREIGN KEY ("respondent_id") REFERENCES "consultation_respondents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "consultation_summaries" ADD CONSTRAINT "FK_d86a8ee03e9cb5844c5b2247724" FOREIGN KEY ("session_id") REFERENCES "mediation_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "consultation_summaries" ADD CONSTRAINT "FK_fb40fe99a128ae5096a106fca90" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "consultation_summaries"`);
    await q.query(`DROP TABLE "consultation_votes"`);
    await q.query(`DROP TABLE "consultation_statements"`);
    await q.query(`DROP TABLE "consultation_respondents"`);
    await q.query(`DROP TABLE "consultation_codes"`);
    await q.query(`DROP TABLE "consultation_groups"`);
    await q.query(`DROP TABLE "consultations"`);
  }
}
