import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The spine's schema: accounts, mediation sessions, parties, rooms, participants, invitations and
 * the audit trail (entries, and the head of each session's chain). Generated from the entities
 * with `npm run db:diff`, then the audit trail made append-only by a trigger (its hash chain is
 * only worth something if rows cannot be rewritten).
 */
export class Spine1764330000000 implements MigrationInterface {
  name = 'Spine1764330000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "audit_entries" ("id" uuid NOT NULL, "session_id" uuid NOT NULL, "seq" integer NOT NULL, "type" character varying(80) NOT NULL, "actor_user_id" uuid, "actor_participant_id" uuid, "payload" jsonb NOT NULL DEFAULT '{}', "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "PK_6b1623bcad4d04530b76548d619" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "audit_entries_session_seq" ON "audit_entries"  ("session_id", "seq") `);
    await q.query(
      `CREATE TABLE "audit_heads" ("session_id" uuid NOT NULL, "seq" integer NOT NULL, "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "PK_2ba05550f3f206dac5e9e86d9d4" PRIMARY KEY ("session_id"))`,
    );
    await q.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL, "email" character varying(254) NOT NULL, "password_hash" character varying(255) NOT NULL, "display_name" character varying(120) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_97672ac88f789774dd47f7c8be3" UNIQUE ("email"), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "refresh_tokens" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "family_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "rotated_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_a7838d2ba25be1342091b6695f1" UNIQUE ("token_hash"), CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "refresh_tokens_user" ON "refresh_tokens"  ("user_id") `);
    await q.query(
      `CREATE TABLE "mediation_sessions" ("id" uuid NOT NULL, "title" character varying(200) NOT NULL, "description" text NOT NULL DEFAULT '', "status" character varying(16) NOT NULL DEFAULT 'draft', "created_by_user_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "mediation_sessions_status" CHECK ("status" IN ('draft', 'open', 'suspended', 'closed')), CONSTRAINT "PK_ce9ebea65a0c9443fab7ce7ac61" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "parties" ("id" uuid NOT NULL, "session_id" uuid NOT NULL, "name" character varying(120) NOT NULL, "name_key" character varying(120) NOT NULL, "position" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_da698299dca60d55f0050dde935" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "parties_session_name" ON "parties"  ("session_id", "name_key") `);
    await q.query(
      `CREATE TABLE "invitations" ("id" uuid NOT NULL, "session_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "role" character varying(16) NOT NULL, "party_id" uuid, "is_head" boolean NOT NULL DEFAULT false, "email" character varying(254), "created_by_participant_id" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "accepted_at" TIMESTAMP WITH TIME ZONE, "accepted_by_user_id" uuid, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_872ac94a64b3d44fc4b554780cd" UNIQUE ("token_hash"), CONSTRAINT "PK_5dec98cfdfd562e4ad3648bbb07" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "invitations_session" ON "invitations"  ("session_id") `);
    await q.query(
      `CREATE TABLE "rooms" ("id" uuid NOT NULL, "session_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "name" character varying(120) NOT NULL, "party_id" uuid, "closed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "rooms_caucus_party" CHECK (("kind" = 'caucus') = ("party_id" IS NOT NULL)), CONSTRAINT "rooms_kind" CHECK ("kind" IN ('plenary', 'caucus', 'mediator', 'joint')), CONSTRAINT "PK_0368a2d7c215f2d0458a54933f2" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "rooms_session" ON "rooms"  ("session_id") `);
    await q.query(`CREATE UNIQUE INDEX "rooms_one_caucus_per_party" ON "rooms"  ("party_id") WHERE "party_id" IS NOT NULL`);
    await q.query(
      `CREATE UNIQUE INDEX "rooms_one_plenary_one_mediator_room" ON "rooms"  ("session_id", "kind") WHERE "kind" IN ('plenary', 'mediator')`,
    );
    await q.query(
      `CREATE TABLE "room_members" ("room_id" uuid NOT NULL, "participant_id" uuid NOT NULL, CONSTRAINT "PK_a176df45256677a1214ac8e46f6" PRIMARY KEY ("room_id", "participant_id"))`,
    );
    await q.query(
      `CREATE TABLE "participants" ("id" uuid NOT NULL, "session_id" uuid NOT NULL, "user_id" uuid NOT NULL, "role" character varying(16) NOT NULL, "party_id" uuid, "is_head" boolean NOT NULL DEFAULT false, "display_name" character varying(120) NOT NULL, "room_id" uuid, "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "participants_head" CHECK (NOT "is_head" OR "role" = 'party_member'), CONSTRAINT "participants_party" CHECK (("role" = 'party_member') = ("party_id" IS NOT NULL)), CONSTRAINT "participants_role" CHECK ("role" IN ('lead_mediator', 'co_mediator', 'party_member', 'observer')), CONSTRAINT "PK_1cda06c31eec1c95b3365a0283f" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "participants_user" ON "participants"  ("user_id") `);
    await q.query(`CREATE UNIQUE INDEX "participants_one_lead" ON "participants"  ("session_id") WHERE "role" = 'lead_mediator'`);
    await q.query(`CREATE UNIQUE INDEX "participants_one_head_per_party" ON "participants"  ("party_id") WHERE "is_head"`);
    await q.query(`CREATE UNIQUE INDEX "participants_session_user" ON "participants"  ("session_id", "user_id") `);
    await q.query(
      `ALTER TABLE "refresh_tokens" ADD CONSTRAINT "FK_3ddc983c5f7bcf132fd8732c3f4" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "parties" ADD CONSTRAINT "FK_297266ee593987a9bb838ecf110" FOREIGN KEY ("session_id") REFERENCES "mediation_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "invitations" ADD CONSTRAINT "FK_a12ada9044e85b26f23c2ad5744" FOREIGN KEY ("session_id") REFERENCES "mediation_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "invitations" ADD CONSTRAINT "FK_4dcfe58bea009ced8c4c4f0a89d" FOREIGN KEY ("party_id") REFERENCES "parties"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "rooms" ADD CONSTRAINT "FK_806aab8c9a3979cf606e2926361" FOREIGN KEY ("session_id") REFERENCES "mediation_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "rooms" ADD CONSTRAINT "FK_b196fd1024a7ada3d506438ebca" FOREIGN KEY ("party_id") REFERENCES "parties"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "room_members" ADD CONSTRAINT "FK_e6cf45f179a524427ddf8bacd8e" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "room_members" ADD CONSTRAINT "FK_f4452ebf87bb6068809e36792a1" FOREIGN KEY ("participant_id") REFERENCES "participants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "participants" ADD CONSTRAINT "FK_0874e4c10e89b190f5c9b07e95b" FOREIGN KEY ("session_id") REFERENCES "mediation_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "participants" ADD CONSTRAINT "FK_1427a77e06023c250ed3794a1ba" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "participants" ADD CONSTRAINT "FK_5782780fddf8d67bda262ec7913" FOREIGN KEY ("party_id") REFERENCES "parties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "participants" ADD CONSTRAINT "FK_42c01cbcaf3a10ee28196dd5622" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(`CREATE FUNCTION parley_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_entries is append-only' USING ERRCODE = 'insufficient_privilege'; END $$`);
    await q.query(`CREATE TRIGGER audit_entries_no_update_delete BEFORE UPDATE OR DELETE ON "audit_entries"
      FOR EACH ROW EXECUTE FUNCTION parley_audit_append_only()`);
    await q.query(`CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON "audit_entries"
      FOR EACH STATEMENT EXECUTE FUNCTION parley_audit_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_entries_no_truncate ON "audit_entries"`);
    await q.query(`DROP TRIGGER audit_entries_no_update_delete ON "audit_entries"`);
    await q.query(`DROP FUNCTION parley_audit_append_only()`);
    await q.query(`DROP TABLE "participants"`);
    await q.query(`DROP TABLE "room_members"`);
    await q.query(`DROP TABLE "rooms"`);
    await q.query(`DROP TABLE "invitations"`);
    await q.query(`DROP TABLE "parties"`);
    await q.query(`DROP TABLE "mediation_sessions"`);
    await q.query(`DROP TABLE "refresh_tokens"`);
    await q.query(`DROP TABLE "users"`);
    await q.query(`DROP TABLE "audit_heads"`);
    await q.query(`DROP TABLE "audit_entries"`);
  }
}
