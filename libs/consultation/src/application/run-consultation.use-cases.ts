import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type {
  ConsultationSummaryView,
  ConsultationView,
  CreateConsultation,
  IssuedCodes,
  ModerateStatement,
  ModerationItem,
  TableSummary,
} from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { Clock, DomainError, UnitOfWork } from '@parley/platform';
import { assertSessionLanguages, REALTIME_CHANNEL, type RealtimeChannel } from '@parley/sessions';
import {
  assertGroupNames,
  assertNotFrozen,
  assertSchedule,
  codeHash,
  moderate,
  newCode,
  newLink,
  publishedText,
} from '../domain/consultation';
import { buildSummary, canonicalSha256, sha256Hex } from '../domain/summary';
import { FROZEN_K, resultsOf } from './consultation-results';
import { ConsultationStore, type StoredConsultation } from './consultation-store';
import { consultationView, moderationItem, readConsultationView, summaryView } from './consultation-views';
import { MediatorAccess } from './mediator-access';

/** The mediators create a consultation of their session: its groups get a link each. */
@Injectable()
export class CreateConsultationUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly access: MediatorAccess,
    private readonly store: ConsultationStore,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async execute(cmd: { userId: string; sessionId: string } & CreateConsultation): Promise<ConsultationView> {
    const now = new Date(this.clock.now());
    const opensAt = cmd.opensAt ? new Date(cmd.opensAt) : now;
    const closesAt = new Date(cmd.closesAt);
    assertSchedule(opensAt, closesAt, now);
    const title = publishedText(cmd.title, 'title');
    const prompt = publishedText(cmd.prompt, 'prompt');
    const excerpts = (cmd.excerpts ?? []).map((e, i) => ({ heading: e.heading.trim(), text: publishedText(e.text, `excerpts.${i}.text`) }));
    assertGroupNames(cmd.groups.map((g) => g.name));
    const languages = assertSessionLanguages(cmd.languages);
    if (!languages.length) throw new DomainError('VALIDATION_FAILED', 'A consultation is run in at least one language.', 'languages');
    return this.uow.transaction(async (tx) => {
      const { session, actor } = await this.access.writer(tx, cmd.sessionId, cmd.userId);
      const c: StoredConsultation = {
        id: randomUUID(),
        sessionId: session.id,
        title,
        prompt,
        excerpts,
        languages,
        opensAt,
        closesAt,
        closedAt: null,
        requireCode: cmd.requireCode,
        groups: cmd.groups.map((g) => ({ id: randomUUID(), name: g.name.trim(), link: newLink() })),
        frozenResults: null,
        frozenSha256: null,
      };
      await this.store.create(tx, c, actor.id);
      await this.audit.append(tx, session.id, [
        {
          type: 'consultation.created',
          actorUserId: cmd.userId,
          actorParticipantId: actor.id,
          payload: {
            consultationId: c.id,
            title: c.title,
            promptSha256: canonicalSha256(c.prompt),
            excerptsSha256: canonicalSha256(c.excerpts),
            languages: c.languages,
            opensAt: c.opensAt.toISOString(),
            closesAt: c.closesAt.toISOString(),
            requireCode: c.requireCode,
            groups: c.groups.map((g) => ({ groupId: g.id, name: g.name })),
          },
        },
      ]);
      return consultationView(c, new Map(), { respondents: 0, pending: 0, approved: 0, rejected: 0, merged: 0, votes: 0 }, now);
    });
  }
}

/** One-time codes for a group: shown once, kept as hashes, joined to no respondent. */
@Injectable()
export class IssueCodesUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly access: MediatorAccess,
    private readonly store: ConsultationStore,
    private readonly audit: AuditTrail,
  ) {}

  execute(cmd: { userId: string; sessionId: string; consultationId: string; groupId: string; count: number }): Promise<IssuedCodes> {
    return this.uow.transaction(async (tx) => {
      const { session, actor } = await this.access.writer(tx, cmd.sessionId, cmd.userId);
      const c = await this.access.consultation(tx, session.id, cmd.consultationId, true);
      assertNotFrozen(c);
      if (!c.groups.some((g) => g.id === cmd.groupId)) {
        throw new DomainError('CONSULTATION_NOT_FOUND', 'This consultation has no such group.', 'groupId');
      }
      const codes = Array.from({ length: cmd.count }, newCode);
      await this.store.addCodes(tx, cmd.groupId, codes.map(codeHash));
      await this.audit.append(tx, session.id, [
        {
          type: 'consultation.codes.issued',
          actorUserId: cmd.userId,
          actorParticipantId: actor.id,
          payload: { consultationId: c.id, groupId: cmd.groupId, count: codes.length },
        },
      ]);
      return { groupId: cmd.groupId, codes };
    });
  }
}

/** A mediator approves, rejects (with a reason code) or merges a pending statement. */
@Injectable()
export class ModerateStatementUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly access: MediatorAccess,
    private readonly store: ConsultationStore,
    private readonly audit: AuditTrail,
  ) {}

  execute(
    cmd: { userId: string; sessionId: string; consultationId: string; statementId: string } & ModerateStatement,
  ): Promise<ModerationItem> {
    return this.uow.transaction(async (tx) => {
      const { session, actor } = await this.access.writer(tx, cmd.sessionId, cmd.userId);
      const c = await this.access.consultation(tx, session.id, cmd.consultationId, true);
      assertNotFrozen(c);
      const statement = await this.store.statement(tx, c.id, cmd.statementId, true);
      if (!statement) throw new DomainError('STATEMENT_NOT_FOUND', 'This consultation has no statement with this id.', 'statementId');
      const target = cmd.decision === 'merge' && cmd.into ? await this.store.statement(tx, c.id, cmd.into) : null;
      const after = moderate(statement, cmd, target);
      await this.store.saveModeration(tx, after);
      await this.audit.append(tx, session.id, [
        {
          type: 'consultation.statement.moderated',
          actorUserId: cmd.userId,
          actorParticipantId: actor.id,
          payload: {
            consultationId: c.id,
            statementId: after.id,
            number: after.number,
            groupId: after.groupId,
            decision: cmd.decision,
            reason: after.reason,
            mergedInto: after.mergedInto,
            textSha256: canonicalSha256(after.text),
          },
        },
      ]);
      return moderationItem(after);
    });
  }
}

/**
 * The mediators close a consultation: respondents are refused from then on, and its results
 * (k = FROZEN_K) are frozen as canonical JSON with their sha256, which enters the audit chain.
 */
@Injectable()
export class CloseConsultationUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly access: MediatorAccess,
    private readonly store: ConsultationStore,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  execute(cmd: { userId: string; sessionId: string; consultationId: string }): Promise<ConsultationView> {
    return this.uow.transaction(async (tx) => {
      const { session, actor } = await this.access.writer(tx, cmd.sessionId, cmd.userId);
      const c = await this.access.consultation(tx, session.id, cmd.consultationId, true);
      assertNotFrozen(c);
      const now = new Date(this.clock.now());
      const canonical = canonicalize(await resultsOf(this.store, tx, c, FROZEN_K));
      const sha256 = sha256Hex(canonical);
      await this.store.freeze(tx, c.id, now, canonical, sha256);
      await this.audit.append(tx, session.id, [
        {
          type: 'consultation.closed',
          actorUserId: cmd.userId,
          actorParticipantId: actor.id,
          payload: { consultationId: c.id, resultsSha256: sha256 },
        },
      ]);
      return readConsultationView(this.store, tx, { ...c, closedAt: now, frozenResults: canonical, frozenSha256: sha256 }, now);
    });
  }
}

/**
 * The mediators table a summary: chosen approved statements with their per-group figures (frozen
 * ones once closed). It enters the session like a tabled text: stored, audited with its hash, and
 * sent to everyone seated in the session, observers included.
 */
@Injectable()
export class TableSummaryUseCase {
  private readonly logger = new Logger('Consultation');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly access: MediatorAccess,
    private readonly store: ConsultationStore,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    @Inject(REALTIME_CHANNEL) private readonly channel: RealtimeChannel,
  ) {}

  async execute(cmd: { userId: string; sessionId: string; consultationId: string } & TableSummary): Promise<ConsultationSummaryView> {
    const view = await this.uow.transaction(async (tx) => {
      const { session, actor } = await this.access.writer(tx, cmd.sessionId, cmd.userId);
      const c = await this.access.consultation(tx, session.id, cmd.consultationId, true);
      const results = c.frozenResults
        ? (JSON.parse(c.frozenResults) as Awaited<ReturnType<typeof resultsOf>>)
        : await resultsOf(this.store, tx, c, FROZEN_K);
      const content = buildSummary(results, cmd.statementIds, {
        sessionId: session.id,
        consultationId: c.id,
        consultationTitle: c.title,
        title: publishedText(cmd.title, 'title'),
        note: cmd.note?.trim() || null,
      });
      const canonical = canonicalize(content);
      const stored = {
        id: randomUUID(),
        sessionId: session.id,
        consultationId: c.id,
        content: canonical,
        sha256: canonicalSha256(content),
        tabledAt: new Date(this.clock.now()),
      };
      await this.store.addSummary(tx, stored, actor.id);
      await this.audit.append(tx, session.id, [
        {
          type: 'consultation.summary.tabled',
          actorUserId: cmd.userId,
          actorParticipantId: actor.id,
          payload: { consultationId: c.id, summaryId: stored.id, sha256: stored.sha256, statements: content.statements.length },
        },
      ]);
      return summaryView(stored);
    });
    try {
      this.channel.toSession(view.sessionId, 'consultation.summary', view);
    } catch (e) {
      this.logger.error(`announcing a summary failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    return view;
  }
}
