import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { DomainError } from '@parley/platform/domain';
import type { ConsultationResults, SummaryStatement } from '@parley/contracts';

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** sha256, hex, of the canonical JSON (RFC 8785) of `value`: what the audit chain and a reader can recompute. */
export const canonicalSha256 = (value: unknown): string => sha256Hex(canonicalize(value));

/** What a tabled summary says, and what its hash covers. */
export interface SummaryContent {
  sessionId: string;
  consultationId: string;
  consultationTitle: string;
  title: string;
  note: string | null;
  statements: SummaryStatement[];
}

/**
 * The summary the mediators table: the statements they chose, in their order, each with the
 * figures of every group and its count (a group's figure resting on fewer than the minimum count
 * says so). Only approved statements can be chosen; one chosen twice is refused, not repeated.
 * No statement id, respondent or rejected text is in it: it is all the parties ever see.
 */
export function buildSummary(
  results: Pick<ConsultationResults, 'statements' | 'groups'>,
  chosen: readonly string[],
  header: Omit<SummaryContent, 'statements'>,
): SummaryContent {
  const byId = new Map(results.statements.map((s) => [s.statementId, s]));
  const names = new Map(results.groups.map((g) => [g.groupId, g.name]));
  const seen = new Set<string>();
  const statements = chosen.map((id, i) => {
    const s = byId.get(id);
    if (!s)
      throw new DomainError(
        'SUMMARY_STATEMENT_INVALID',
        'A summary holds approved statements of this consultation only.',
        `statementIds.${i}`,
      );
    if (seen.has(id)) throw new DomainError('SUMMARY_STATEMENT_INVALID', 'A statement is chosen twice.', `statementIds.${i}`);
    seen.add(id);
    return {
      text: s.text,
      total: s.total,
      groups: s.groups.map((g) => ({
        name: names.get(g.groupId) ?? '',
        agree: g.agree,
        disagree: g.disagree,
        pass: g.pass,
        n: g.n,
        few: g.few,
      })),
    };
  });
  return { ...header, statements };
}
