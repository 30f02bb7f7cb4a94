import { createHash, randomBytes } from 'node:crypto';
import {
  CONSULTATION_LIMITS,
  type ConsultationStatus,
  type ModerationDecision,
  type RejectReason,
  type StatementStatus,
} from '@parley/contracts';
import { DomainError } from '@parley/platform/domain';

/**
 * A consultation as the rules see it. Times are the mediators' (when it opens and closes); nothing
 * here carries a respondent's time, address or device.
 */
export interface Consultation {
  readonly id: string;
  readonly sessionId: string;
  readonly title: string;
  readonly prompt: string;
  readonly opensAt: Date;
  readonly closesAt: Date;
  /** Set when the mediators closed it (and froze its results). */
  readonly closedAt: Date | null;
  readonly requireCode: boolean;
}

export interface Statement {
  readonly id: string;
  readonly consultationId: string;
  readonly groupId: string;
  /** The respondent who wrote it: never shown to anyone but that respondent. */
  readonly respondentId: string;
  readonly number: number;
  readonly text: string;
  readonly status: StatementStatus;
  readonly reason: RejectReason | null;
  readonly mergedInto: string | null;
}

/** Where a consultation stands at `now`: closed by the mediators or by its closing time. */
export function statusAt(c: Pick<Consultation, 'opensAt' | 'closesAt' | 'closedAt'>, now: Date): ConsultationStatus {
  if (c.closedAt || now >= c.closesAt) return 'closed';
  return now < c.opensAt ? 'scheduled' : 'open';
}

/** Respondents act only while it is open: CONSULTATION_NOT_OPEN before, CONSULTATION_CLOSED after. */
export function assertOpenForRespondents(c: Consultation, now: Date): void {
  const status = statusAt(c, now);
  if (status === 'scheduled') {
    throw new DomainError('CONSULTATION_NOT_OPEN', `This consultation opens at ${c.opensAt.toISOString()}.`, undefined, {
      opensAt: c.opensAt.toISOString(),
    });
  }
  if (status === 'closed')
    throw new DomainError('CONSULTATION_CLOSED', 'This consultation is closed: it takes no more statements or votes.');
}

/** The mediators' own changes (codes, moderation, closing) stop once they closed it: its results are frozen. */
export function assertNotFrozen(c: Consultation): void {
  if (c.closedAt) throw new DomainError('CONSULTATION_CLOSED', 'This consultation is closed and its results are frozen.');
}

/** Opening and closing times the mediators set: closing after opening, and not already past. */
export function assertSchedule(opensAt: Date, closesAt: Date, now: Date): void {
  if (!(closesAt > opensAt)) throw new DomainError('VALIDATION_FAILED', 'closesAt must come after opensAt.', 'closesAt');
  if (!(closesAt > now)) throw new DomainError('VALIDATION_FAILED', 'closesAt must be in the future.', 'closesAt');
}

/** A text the mediators publish (a title, a prompt) as kept: trimmed, and not blank. */
export function publishedText(raw: string, field: string): string {
  const text = raw.trim();
  if (!text) throw new DomainError('VALIDATION_FAILED', `${field} cannot be blank.`, field);
  return text;
}

/** Group names are the walls of the figures: each must be told apart from the others. */
export function assertGroupNames(names: readonly string[]): void {
  const seen = new Set<string>();
  names.forEach((name, i) => {
    const key = name.trim().toLocaleLowerCase();
    if (!key) throw new DomainError('VALIDATION_FAILED', 'A group needs a name.', `groups.${i}.name`);
    if (seen.has(key)) throw new DomainError('VALIDATION_FAILED', `Two groups are called "${name.trim()}".`, `groups.${i}.name`);
    seen.add(key);
  });
}

/** A respondent writes at most `statementsPerRespondent` statements, whatever became of them. */
export function assertMayWrite(written: number, cap: number = CONSULTATION_LIMITS.statementsPerRespondent): void {
  if (written >= cap) {
    throw new DomainError('STATEMENT_LIMIT_REACHED', `You have written the ${cap} statements each respondent may write.`, 'text', { cap });
  }
}

/** A statement's text as kept: trimmed, inner whitespace runs of a line kept as typed, within the cap. */
export function statementText(raw: string): string {
  const text = raw.trim();
  if (!text) throw new DomainError('VALIDATION_FAILED', 'A statement cannot be empty.', 'text');
  if ([...text].length > CONSULTATION_LIMITS.statementMaxLength) {
    throw new DomainError('VALIDATION_FAILED', `A statement holds at most ${CONSULTATION_LIMITS.statementMaxLength} characters.`, 'text');
  }
  return text;
}

/**
 * A vote: only on an approved statement (any other id is the same 404: a respondent learns nothing
 * of what is pending or was rejected), never on one's own, once.
 */
export function assertMayVote(statement: Statement | null, respondentId: string, alreadyVoted: boolean): asserts statement is Statement {
  if (!statement || statement.status !== 'approved') {
    throw new DomainError('STATEMENT_NOT_FOUND', 'There is no statement to vote on with this id.', 'statementId');
  }
  if (statement.respondentId === respondentId)
    throw new DomainError('VOTE_OWN_STATEMENT', 'You cannot vote on your own statement.', 'statementId');
  if (alreadyVoted) throw new DomainError('VOTE_ALREADY_CAST', 'You have already voted on this statement.', 'statementId');
}

export interface Moderation {
  decision: ModerationDecision;
  reason?: RejectReason;
  into?: string;
}

/**
 * Moderation decides a pending statement once: approve (it enters the voting pool), reject with a
 * reason code, or merge into an approved statement of the same consultation (a duplicate: the
 * respondent sees it merged; the votes go to the one it joined).
 */
export function moderate(statement: Statement, m: Moderation, target: Statement | null): Statement {
  if (statement.status !== 'pending') {
    throw new DomainError('STATEMENT_ALREADY_MODERATED', `This statement was already ${statement.status}.`, undefined, {
      status: statement.status,
    });
  }
  switch (m.decision) {
    case 'approve':
      return { ...statement, status: 'approved' };
    case 'reject':
      if (!m.reason) throw new DomainError('VALIDATION_FAILED', 'A rejection needs a reason.', 'reason');
      return { ...statement, status: 'rejected', reason: m.reason };
    case 'merge':
      if (!m.into) throw new DomainError('VALIDATION_FAILED', 'A merge names the approved statement to merge into.', 'into');
      if (!target || target.status !== 'approved' || target.id === statement.id) {
        throw new DomainError(
          'MERGE_TARGET_INVALID',
          'A statement merges only into another approved statement of this consultation.',
          'into',
        );
      }
      return { ...statement, status: 'merged', mergedInto: target.id };
  }
}

/** Codes people read aloud and type on phones: Crockford's base32 (no I, L, O, U), in groups of four. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A fresh code of 16 characters (80 random bits), as `XXXX-XXXX-XXXX-XXXX`. */
export function newCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => ALPHABET[b & 31]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/** A code as typed (any case, with or without dashes or spaces, O for 0, I and L for 1), or null when it cannot be one. */
export function normaliseCode(typed: string): string | null {
  const plain = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (plain.length !== 16 || [...plain].some((c) => !ALPHABET.includes(c))) return null;
  return plain.match(/.{4}/g)!.join('-');
}

/** What is stored of a code: its sha256 (codes are 80 random bits: no salt is needed against guessing). */
export const codeHash = (code: string): string => createHash('sha256').update(code, 'utf8').digest('hex');

/** A group's link token: 128 random bits, URL-safe. */
export const newLink = (): string => randomBytes(16).toString('base64url');
