import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** One sign-in: a refresh family, from the password typed to its last renewal. */
export interface SignInRow {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
}

/** What a token's account and sign-in are now. */
export type Standing = 'live' | 'revoked' | 'no-account';

/**
 * The SQL of sign-ins. A sign-in is a refresh family: its first row's creation is the sign-in,
 * each renewal adds a row (so the newest row says when it was last used), and revoking sets
 * revoked_at on every row of the family.
 */
@Injectable()
export class SignInStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One indexed read per request: the account exists and is not deleted, and (for a token that
   * names its sign-in) that sign-in has a row not revoked.
   */
  async standing(userId: string, familyId: string | undefined): Promise<Standing> {
    const rows: Array<{ deleted: boolean; live: boolean | null }> = await this.dataSource.query(
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

  /** The account's sign-ins neither revoked nor expired, the most recently used first. */
  async active(userId: string, now: Date): Promise<SignInRow[]> {
    const rows: Array<{ id: string; created_at: Date | string; last_used_at: Date | string; expires_at: Date | string }> =
      await this.dataSource.query(
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

  /**
   * Revokes the account's sign-ins still live among `familyIds` (all of them when absent);
   * returns the ones it revoked. Another account's family is never touched.
   */
  async revoke(
    userId: string,
    familyIds: string[] | undefined,
    now: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string[]> {
    const rows: Array<{ family_id: string }> = await manager.query(
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
