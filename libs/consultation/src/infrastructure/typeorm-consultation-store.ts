import { Injectable } from '@nestjs/common';
import type { ConsultationCounts, RejectReason, StatementStatus, VoteValue } from '@parley/contracts';
import { isUniqueViolation, managerOf, type Tx } from '@parley/platform';
import {
  ConsultationStore,
  DuplicateVote,
  type CodeUse,
  type ConsultationGroup,
  type GroupCounts,
  type Respondent,
  type StoredConsultation,
  type StoredSummary,
} from '../application/consultation-store';
import type { Statement } from '../domain/consultation';
import type { ResultsInput } from '../domain/results';

interface ConsultationRow {
  id: string;
  session_id: string;
  title: string;
  prompt: string;
  excerpts: StoredConsultation['excerpts'];
  languages: string[];
  opens_at: Date;
  closes_at: Date;
  closed_at: Date | null;
  require_code: boolean;
  frozen_results: string | null;
  frozen_sha256: string | null;
  groups: ConsultationGroup[];
}

interface StatementRow {
  id: string;
  consultation_id: string;
  group_id: string;
  respondent_id: string;
  number: number;
  text: string;
  status: StatementStatus;
  reason: RejectReason | null;
  merged_into: string | null;
}

const toConsultation = (r: ConsultationRow): StoredConsultation => ({
  id: r.id,
  sessionId: r.session_id,
  title: r.title,
  prompt: r.prompt,
  excerpts: r.excerpts,
  languages: r.languages,
  opensAt: new Date(r.opens_at),
  closesAt: new Date(r.closes_at),
  closedAt: r.closed_at ? new Date(r.closed_at) : null,
  requireCode: r.require_code,
  frozenResults: r.frozen_results,
  frozenSha256: r.frozen_sha256,
  groups: r.groups,
});

const toStatement = (r: StatementRow): Statement => ({
  id: r.id,
  consultationId: r.consultation_id,
  groupId: r.group_id,
  respondentId: r.respondent_id,
  number: r.number,
  text: r.text,
  status: r.status,
  reason: r.reason,
  mergedInto: r.merged_into,
});

/** A consultation with its groups (in their order) as one row. */
const SELECT_CONSULTATION = `SELECT c.id, c.session_id, c.title, c.prompt, c.excerpts, c.languages, c.opens_at, c.closes_at,
    c.closed_at, c.require_code, c.frozen_results, c.frozen_sha256,
    (SELECT coalesce(jsonb_agg(jsonb_build_object('id', g.id, 'name', g.name, 'link', g.link) ORDER BY g.position), '[]')
       FROM consultation_groups g WHERE g.consultation_id = c.id) AS groups
  FROM consultations c`;

const STATEMENT_COLUMNS = 's.id, s.consultation_id, s.group_id, s.respondent_id, s.number, s.text, s.status, s.reason, s.merged_into';

/** consultation_votes' primary key (statement, respondent): one vote each, whatever races. */
const VOTES_KEY = 'PK_4bf25e67b9a336fe6f8efa48120';

/** Consultations in their own tables (`consultations`, `consultation_*`); the sessions' tables are not read here. */
@Injectable()
export class TypeOrmConsultationStore extends ConsultationStore {
  private q<T>(tx: Tx, sql: string, params: unknown[] = []): Promise<T[]> {
    return managerOf(tx).query<T[]>(sql, params);
  }

  async create(tx: Tx, c: StoredConsultation, createdByParticipantId: string): Promise<void> {
    await this.q(
      tx,
      `INSERT INTO consultations (id, session_id, title, prompt, excerpts, languages, opens_at, closes_at, require_code, created_by_participant_id)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9, $10)`,
      [
        c.id,
        c.sessionId,
        c.title,
        c.prompt,
        JSON.stringify(c.excerpts),
        JSON.stringify(c.languages),
        c.opensAt,
        c.closesAt,
        c.requireCode,
        createdByParticipantId,
      ],
    );
    for (const [position, g] of c.groups.entries()) {
      await this.q(tx, `INSERT INTO consultation_groups (id, consultation_id, name, position, link) VALUES ($1, $2, $3, $4, $5)`, [
        g.id,
        c.id,
        g.name,
        position,
        g.link,
      ]);
    }
  }

  async consultation(tx: Tx, sessionId: string, id: string, lock = false): Promise<StoredConsultation | null> {
    if (lock) await this.q(tx, `SELECT 1 FROM consultations WHERE id = $1 AND session_id = $2 FOR UPDATE`, [id, sessionId]);
    const [row] = await this.q<ConsultationRow>(tx, `${SELECT_CONSULTATION} WHERE c.id = $1 AND c.session_id = $2`, [id, sessionId]);
    return row ? toConsultation(row) : null;
  }

  async consultations(tx: Tx, sessionId: string): Promise<StoredConsultation[]> {
    const rows = await this.q<ConsultationRow>(tx, `${SELECT_CONSULTATION} WHERE c.session_id = $1 ORDER BY c.created_at, c.id`, [
      sessionId,
    ]);
    return rows.map(toConsultation);
  }

  async byLink(
    tx: Tx,
    link: string,
    lock?: 'share' | 'update',
  ): Promise<{ consultation: StoredConsultation; group: ConsultationGroup } | null> {
    const [g] = await this.q<{ id: string; name: string; link: string; consultation_id: string }>(
      tx,
      `SELECT id, name, link, consultation_id FROM consultation_groups WHERE link = $1`,
      [link],
    );
    if (!g) return null;
    // A respondent's act is decided on the consultation's status: it commits before a closing begins, or sees it.
    if (lock)
      await this.q(tx, `SELECT 1 FROM consultations WHERE id = $1 FOR ${lock === 'update' ? 'UPDATE' : 'SHARE'}`, [g.consultation_id]);
    const [row] = await this.q<ConsultationRow>(tx, `${SELECT_CONSULTATION} WHERE c.id = $1`, [g.consultation_id]);
    return { consultation: toConsultation(row), group: { id: g.id, name: g.name, link: g.link } };
  }

  async groupCounts(tx: Tx, consultationId: string): Promise<Map<string, GroupCounts>> {
    const rows = await this.q<{ id: string; respondents: number; codes_issued: number; codes_used: number }>(
      tx,
      `SELECT g.id,
         (SELECT count(*)::int FROM consultation_respondents r WHERE r.group_id = g.id) AS respondents,
         (SELECT count(*)::int FROM consultation_codes k WHERE k.group_id = g.id) AS codes_issued,
         (SELECT count(*)::int FROM consultation_codes k WHERE k.group_id = g.id AND k.used) AS codes_used
       FROM consultation_groups g WHERE g.consultation_id = $1`,
      [consultationId],
    );
    return new Map(rows.map((r) => [r.id, { respondents: r.respondents, codesIssued: r.codes_issued, codesUsed: r.codes_used }]));
  }

  async counts(tx: Tx, consultationId: string): Promise<ConsultationCounts> {
    const [r] = await this.q<ConsultationCounts>(
      tx,
      `SELECT
         (SELECT count(*)::int FROM consultation_respondents WHERE consultation_id = $1) AS respondents,
         count(*) FILTER (WHERE status = 'pending')::int AS pending,
         count(*) FILTER (WHERE status = 'approved')::int AS approved,
         count(*) FILTER (WHERE status = 'rejected')::int AS rejected,
         count(*) FILTER (WHERE status = 'merged')::int AS merged,
         (SELECT count(*)::int FROM consultation_votes v JOIN consultation_statements s2 ON s2.id = v.statement_id
            WHERE s2.consultation_id = $1) AS votes
       FROM consultation_statements WHERE consultation_id = $1`,
      [consultationId],
    );
    return r;
  }

  async addCodes(tx: Tx, groupId: string, hashes: readonly string[]): Promise<void> {
    if (!hashes.length) return;
    await this.q(
      tx,
      `INSERT INTO consultation_codes (id, group_id, code_hash) SELECT gen_random_uuid(), $1, h FROM unnest($2::varchar[]) AS h`,
      [groupId, hashes],
    );
  }

  async useCode(tx: Tx, groupId: string, hash: string): Promise<CodeUse> {
    const [row] = await this.q<{ used: boolean }>(
      tx,
      `SELECT used FROM consultation_codes WHERE group_id = $1 AND code_hash = $2 FOR UPDATE`,
      [groupId, hash],
    );
    if (!row) return 'unknown';
    if (row.used) return 'already-used';
    await this.q(tx, `UPDATE consultation_codes SET used = true WHERE group_id = $1 AND code_hash = $2`, [groupId, hash]);
    return 'used';
  }

  async addRespondent(tx: Tx, r: Respondent, codeHash: string): Promise<void> {
    await this.q(tx, `INSERT INTO consultation_respondents (id, consultation_id, group_id, code_hash) VALUES ($1, $2, $3, $4)`, [
      r.id,
      r.consultationId,
      r.groupId,
      codeHash,
    ]);
  }

  async respondent(tx: Tx, consultationId: string, codeHash: string): Promise<Respondent | null> {
    const [r] = await this.q<{ id: string; consultation_id: string; group_id: string }>(
      tx,
      `SELECT id, consultation_id, group_id FROM consultation_respondents WHERE consultation_id = $1 AND code_hash = $2`,
      [consultationId, codeHash],
    );
    return r ? { id: r.id, consultationId: r.consultation_id, groupId: r.group_id } : null;
  }

  async nextNumber(tx: Tx, consultationId: string): Promise<number> {
    const [r] = await this.q<{ n: number }>(
      tx,
      // As a SELECT: TypeORM answers an UPDATE's RETURNING as [rows, count].
      `WITH u AS (UPDATE consultations SET statements_numbered = statements_numbered + 1 WHERE id = $1 RETURNING statements_numbered) SELECT statements_numbered AS n FROM u`,
      [consultationId],
    );
    return r.n;
  }

  async addStatement(tx: Tx, s: Statement): Promise<void> {
    await this.q(
      tx,
      `INSERT INTO consultation_statements (id, consultation_id, group_id, respondent_id, number, text, status, reason, merged_into)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [s.id, s.consultationId, s.groupId, s.respondentId, s.number, s.text, s.status, s.reason, s.mergedInto],
    );
  }

  async statementsBy(tx: Tx, respondentId: string): Promise<Statement[]> {
    const rows = await this.q<StatementRow>(
      tx,
      `SELECT ${STATEMENT_COLUMNS} FROM consultation_statements s WHERE s.respondent_id = $1 ORDER BY s.number`,
      [respondentId],
    );
    return rows.map(toStatement);
  }

  async statement(tx: Tx, consultationId: string, id: string, lock = false): Promise<Statement | null> {
    const [r] = await this.q<StatementRow>(
      tx,
      `SELECT ${STATEMENT_COLUMNS} FROM consultation_statements s WHERE s.id = $1 AND s.consultation_id = $2${lock ? ' FOR UPDATE' : ''}`,
      [id, consultationId],
    );
    return r ? toStatement(r) : null;
  }

  async statements(tx: Tx, consultationId: string, status?: StatementStatus): Promise<Statement[]> {
    const rows = await this.q<StatementRow>(
      tx,
      `SELECT ${STATEMENT_COLUMNS} FROM consultation_statements s WHERE s.consultation_id = $1 AND ($2::varchar IS NULL OR s.status = $2) ORDER BY s.number`,
      [consultationId, status ?? null],
    );
    return rows.map(toStatement);
  }

  async saveModeration(tx: Tx, s: Statement): Promise<void> {
    await this.q(tx, `UPDATE consultation_statements SET status = $2, reason = $3, merged_into = $4 WHERE id = $1`, [
      s.id,
      s.status,
      s.reason,
      s.mergedInto,
    ]);
  }

  async hasVoted(tx: Tx, statementId: string, respondentId: string): Promise<boolean> {
    const rows = await this.q(tx, `SELECT 1 FROM consultation_votes WHERE statement_id = $1 AND respondent_id = $2`, [
      statementId,
      respondentId,
    ]);
    return rows.length > 0;
  }

  async vote(tx: Tx, v: { statementId: string; respondentId: string; groupId: string; vote: VoteValue }): Promise<void> {
    try {
      await this.q(tx, `INSERT INTO consultation_votes (statement_id, respondent_id, group_id, vote) VALUES ($1, $2, $3, $4)`, [
        v.statementId,
        v.respondentId,
        v.groupId,
        v.vote,
      ]);
    } catch (e) {
      if (isUniqueViolation(e, VOTES_KEY)) throw new DuplicateVote();
      throw e;
    }
  }

  async votesCast(tx: Tx, respondentId: string): Promise<number> {
    const [r] = await this.q<{ n: number }>(tx, `SELECT count(*)::int AS n FROM consultation_votes WHERE respondent_id = $1`, [
      respondentId,
    ]);
    return r.n;
  }

  async ballot(tx: Tx, consultationId: string, respondentId: string, limit: number): Promise<Statement[]> {
    const rows = await this.q<StatementRow>(
      tx,
      `SELECT ${STATEMENT_COLUMNS} FROM consultation_statements s
        WHERE s.consultation_id = $1 AND s.status = 'approved' AND s.respondent_id <> $2
          AND NOT EXISTS (SELECT 1 FROM consultation_votes v WHERE v.statement_id = s.id AND v.respondent_id = $2)
        ORDER BY md5(s.id::text || $2::text), s.id
        LIMIT $3`,
      [consultationId, respondentId, limit],
    );
    return rows.map(toStatement);
  }

  async resultsInput(tx: Tx, consultationId: string): Promise<Omit<ResultsInput, 'k' | 'consultationId'>> {
    const groups = await this.q<{ id: string; name: string; respondents: number }>(
      tx,
      `SELECT g.id, g.name, (SELECT count(*)::int FROM consultation_respondents r WHERE r.group_id = g.id) AS respondents
         FROM consultation_groups g WHERE g.consultation_id = $1 ORDER BY g.position`,
      [consultationId],
    );
    const statements = await this.statements(tx, consultationId, 'approved');
    const votes = await this.q<{ statement_id: string; respondent_id: string; group_id: string; vote: VoteValue }>(
      tx,
      `SELECT v.statement_id, v.respondent_id, v.group_id, v.vote FROM consultation_votes v
         JOIN consultation_statements s ON s.id = v.statement_id
        WHERE s.consultation_id = $1 AND s.status = 'approved'`,
      [consultationId],
    );
    return {
      groups,
      statements: statements.map((s) => ({ id: s.id, number: s.number, groupId: s.groupId, text: s.text })),
      votes: votes.map((v) => ({ statementId: v.statement_id, respondentId: v.respondent_id, groupId: v.group_id, vote: v.vote })),
    };
  }

  async freeze(tx: Tx, consultationId: string, closedAt: Date, canonical: string, sha256: string): Promise<void> {
    await this.q(tx, `UPDATE consultations SET closed_at = $2, frozen_results = $3, frozen_sha256 = $4 WHERE id = $1`, [
      consultationId,
      closedAt,
      canonical,
      sha256,
    ]);
  }

  async addSummary(tx: Tx, s: StoredSummary, tabledByParticipantId: string): Promise<void> {
    await this.q(
      tx,
      `INSERT INTO consultation_summaries (id, session_id, consultation_id, content, sha256, tabled_by_participant_id, tabled_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [s.id, s.sessionId, s.consultationId, s.content, s.sha256, tabledByParticipantId, s.tabledAt],
    );
  }

  async summaries(tx: Tx, sessionId: string): Promise<StoredSummary[]> {
    const rows = await this.q<{
      id: string;
      session_id: string;
      consultation_id: string;
      content: string;
      sha256: string;
      tabled_at: Date;
    }>(
      tx,
      `SELECT id, session_id, consultation_id, content, sha256, tabled_at FROM consultation_summaries WHERE session_id = $1 ORDER BY tabled_at, id`,
      [sessionId],
    );
    return rows.map((r) => ({
      id: r.id,
      sessionId: r.session_id,
      consultationId: r.consultation_id,
      content: r.content,
      sha256: r.sha256,
      tabledAt: new Date(r.tabled_at),
    }));
  }
}
