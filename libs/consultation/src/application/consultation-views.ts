import type { ConsultationCounts, ConsultationSummaryView, ConsultationView, ModerationItem, OwnStatement } from '@parley/contracts';
import type { Tx } from '@parley/platform';
import { statusAt, type Statement } from '../domain/consultation';
import type { SummaryContent } from '../domain/summary';
import type { ConsultationStore, GroupCounts, StoredConsultation, StoredSummary } from './consultation-store';

const NO_COUNTS: GroupCounts = { respondents: 0, codesIssued: 0, codesUsed: 0 };

/** A consultation as its mediators see it (links included: they hand them out). */
export function consultationView(
  c: StoredConsultation,
  groupCounts: Map<string, GroupCounts>,
  counts: ConsultationCounts,
  now: Date,
): ConsultationView {
  return {
    id: c.id,
    sessionId: c.sessionId,
    title: c.title,
    prompt: c.prompt,
    excerpts: c.excerpts,
    languages: c.languages,
    opensAt: c.opensAt.toISOString(),
    closesAt: c.closesAt.toISOString(),
    status: statusAt(c, now),
    requireCode: c.requireCode,
    groups: c.groups.map((g) => ({ id: g.id, name: g.name, link: g.link, ...(groupCounts.get(g.id) ?? NO_COUNTS) })),
    counts,
    frozen: c.frozenSha256 && c.closedAt ? { sha256: c.frozenSha256, frozenAt: c.closedAt.toISOString() } : null,
  };
}

/** A consultation as its mediators see it, with its counts as stored now. */
export async function readConsultationView(store: ConsultationStore, tx: Tx, c: StoredConsultation, now: Date): Promise<ConsultationView> {
  return consultationView(c, await store.groupCounts(tx, c.id), await store.counts(tx, c.id), now);
}

/** A statement for moderation: its group, never its author. */
export const moderationItem = (s: Statement): ModerationItem => ({
  id: s.id,
  number: s.number,
  groupId: s.groupId,
  text: s.text,
  status: s.status,
  reason: s.reason,
  mergedInto: s.mergedInto,
});

/** A statement as its own author sees it. */
export const ownStatement = (s: Statement): OwnStatement => ({ id: s.id, text: s.text, status: s.status, reason: s.reason });

export function summaryView(s: StoredSummary): ConsultationSummaryView {
  const content = JSON.parse(s.content) as SummaryContent;
  return {
    id: s.id,
    sessionId: s.sessionId,
    consultationId: s.consultationId,
    consultationTitle: content.consultationTitle,
    title: content.title,
    note: content.note,
    statements: content.statements,
    sha256: s.sha256,
    tabledAt: s.tabledAt.toISOString(),
  };
}
