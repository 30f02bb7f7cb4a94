import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The single negotiating text: one agreement per session, its clauses as they stand, every version
 * of every clause, proposals with the parties' responses, and the live drafts' Yjs updates.
 */
export class Agreement1764350000000 implements MigrationInterface {
  name = 'Agreement1764350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "agreements" ("session_id" uuid NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'drafting', "revision" integer NOT NULL DEFAULT '0', "final_sha256" character varying(64), "final_text" text, "finalised_at" TIMESTAMP WITH TIME ZONE, "sign_offs" jsonb NOT NULL, CONSTRAINT "agreements_status" CHECK ("status" IN ('drafting', 'final', 'signed')), CONSTRAINT "PK_4fe2f0d350984b5514185c335fc" PRIMARY KEY ("session_id"))`,
    );
    await q.query(
      `CREATE TABLE "agreement_clauses" ("id" uuid NOT NULL, "session_id" uuid NOT NULL, "position" integer NOT NULL, "version" integer NOT NULL, "heading" text, "text" text NOT NULL, "segments" jsonb NOT NULL, "marks" jsonb NOT NULL, "deleted" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_216ecebd64e90b6ecaea01b6add" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "agreement_clauses_order" ON "agreement_clauses"  ("session_id", "position") `);
    await q.query(
      `CREATE TABLE "clause_versions" ("clause_id" uuid NOT NULL, "version" integer NOT NULL, "session_id" uuid NOT NULL, "heading" text, "text" text NOT NULL, "segments" jsonb NOT NULL, "deleted" boolean NOT NULL, "change_kind" character varying(16) NOT NULL, "author_participant_id" uuid NOT NULL, "proposal_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "clause_versions_change_kind" CHECK ("change_kind" IN ('created', 'edited', 'option_added', 'resolved', 'deleted')), CONSTRAINT "PK_59e55e4dcb03c714f19d72d07b1" PRIMARY KEY ("clause_id", "version"))`,
    );
    await q.query(`CREATE INDEX "clause_versions_session" ON "clause_versions"  ("session_id", "created_at") `);
    await q.query(
      `CREATE TABLE "proposals" ("id" uuid NOT NULL, "session_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "change" jsonb NOT NULL, "origin_kind" character varying(16) NOT NULL, "party_id" uuid, "author_participant_id" uuid NOT NULL, "visibility" character varying(16) NOT NULL, "status" character varying(16) NOT NULL, "counter_to" uuid, "counter_private_to" uuid, "rationale" text, "responses" jsonb NOT NULL, "client_key" character varying(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "decided_at" TIMESTAMP WITH TIME ZONE, "adopted_clause_id" uuid, "adopted_version" integer, CONSTRAINT "proposals_origin" CHECK (("origin_kind" = 'party') = ("party_id" IS NOT NULL)), CONSTRAINT "proposals_status" CHECK ("status" IN ('open', 'adopted', 'withdrawn')), CONSTRAINT "proposals_visibility" CHECK ("visibility" IN ('private', 'tabled')), CONSTRAINT "PK_db524c8db8e126a38a2f16d8cac" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "proposals_session" ON "proposals"  ("session_id", "created_at") `);
    await q.query(
      `CREATE UNIQUE INDEX "proposals_idempotency" ON "proposals"  ("author_participant_id", "client_key") WHERE "client_key" IS NOT NULL`,
    );
    await q.query(
      `CREATE TABLE "draft_updates" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "session_id" uuid NOT NULL, "doc_key" character varying(120) NOT NULL, "update" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2aaf905f891cd792f212415ad38" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "draft_updates_doc" ON "draft_updates"  ("doc_key", "id") `);
    await q.query(
      `ALTER TABLE "agreements" ADD CONSTRAINT "FK_4fe2f0d350984b5514185c335fc" FOREIGN KEY ("session_id") REFERENCES "mediation_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "agreement_clauses" ADD CONSTRAINT "FK_e9c13377ac73aa1fc0cc952faf6" FOREIGN KEY ("session_id") REFERENCES "mediation_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "clause_versions" ADD CONSTRAINT "FK_9fa7dbe0e16a64b864d6d837c83" FOREIGN KEY ("clause_id") REFERENCES "agreement_clauses"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "proposals" ADD CONSTRAINT "FK_b6338f14f721f7aef0258d5e32b" FOREIGN KEY ("session_id") REFERENCES "mediation_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "draft_updates" ADD CONSTRAINT "FK_e1cc9342c7d480b363052e97116" FOREIGN KEY ("session_id") REFERENCES "mediation_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "draft_updates"`);
    await q.query(`DROP TABLE "proposals"`);
    await q.query(`DROP TABLE "clause_versions"`);
    await q.query(`DROP TABLE "agreement_clauses"`);
    await q.query(`DROP TABLE "agreements"`);
  }
}
