import { Injectable } from '@nestjs/common';
import { managerOf, type Tx } from '@parley/platform';
import { SignInStore, type SignInRow, type Standing } from '../application/sign-in.store';

/** The SQL of sign-ins (see the port for what a sign-in is as stored). */
@Injectable()
export class TypeOrmSignInStore extends SignInStore {
  async standing(tx: Tx, userId: string, familyId: string | undefined): Promise<Standing> {
    const rows: Array<{ deleted: boolean; live: boolean | null }> = await managerOf(tx).query(
      `SELECT u."deleted_at" IS NOT NULL AS "deleted",
              CASE WHEN $2::uuid IS NULL THEN TRUE ELSE EXISTS (
                SELECT 1 FROM "refresh_tokens" r WHERE r."family_id" = $2::uuid AND r."user_id" = u."id" AND r."revoked_at" IS NULL
              ) END AS "live"
         FROM "users" u WHERE u."id" = $1`,
      [userId, familyId ?? null],
    );
    const row = rows[0];
    if (!row || row.deleted) return 'no-account';
    return row.live ? 'live' : 'revoked';
  }

  async active(tx: Tx, userId: string, now: Date): Promise<SignInRow[]> {
    const rows: Array<{ id: string; created_at: Date | string; last_used_at: Date | string; expires_at: Date | string }> = await managerOf(
      tx,
    ).query(
      `SELECT "family_id" AS "id", MIN("created_at") AS "created_at", MAX("created_at") AS "last_used_at",
                MAX("expires_at") FILTER (WHERE "rotated_at" IS NULL) AS "expires_at"
           FROM "refresh_tokens" WHERE "user_id" = $1
          GROUP BY "family_id"
         HAVING bool_and("revoked_at" IS NULL) AND MAX("expires_at") FILTER (WHERE "rotated_at" IS NULL) > $2
          ORDER BY MAX("created_at") DESC`,
      [userId, now],
    );
    return rows.map((r) => ({
      id: r.id,
      createdAt: new Date(r.created_at),
      lastUsedAt: new Date(r.last_used_at),
      expiresAt: new Date(r.expires_at),
    }));
  }

  async revoke(tx: Tx, userId: string, familyIds: string[] | undefined, now: Date): Promise<string[]> {
    const rows: Array<{ family_id: string }> = await managerOf(tx).query(
      `UPDATE "refresh_tokens" SET "revoked_at" = $2
        WHERE "user_id" = $1 AND "revoked_at" IS NULL AND ($3::uuid[] IS NULL OR "family_id" = ANY($3::uuid[]))
        RETURNING "family_id"`,
      [userId, now, familyIds ?? null],
    );
    // TypeORM's postgres driver answers an UPDATE … RETURNING as [rows, count].
    const list = Array.isArray(rows[0]) ? (rows[0] as unknown as Array<{ family_id: string }>) : rows;
    return [...new Set(list.map((r) => r.family_id))];
  }
}
