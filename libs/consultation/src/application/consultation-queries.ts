import { Injectable } from '@nestjs/common';
import { canonicalize } from 'json-canonicalize';
import type {
  ConsultationResults,
  ConsultationSummaryView,
  ConsultationView,
  FrozenVerification,
  ModerationItem,
  StatementStatus,
} from '@parley/contracts';
import { Clock, DomainError, UnitOfWork } from '@parley/platform';
import { SessionDirectory } from '@parley/sessions';
import { sha256Hex } from '../domain/summary';
import { ConsultationStore } from './consultation-store';
import { FROZEN_K, resultsOf } from './consultation-results';
import { moderationItem, readConsultationView, summaryView } from './consultation-views';
import { MediatorAccess } from './mediator-access';

type Asked = { userId: string; sessionId: string };

/** What the mediators read of their consultations, and what everyone in the session reads of the summaries. */
@Injectable()
export class ConsultationQueries {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly access: MediatorAccess,
    private readonly sessions: SessionDirectory,
    private readonly store: ConsultationStore,
    private readonly clock: Clock,
  ) {}

  /**
   * Every read below decides who asks and reads what they are shown on one snapshot
   * (`UnitOfWork.snapshot`): a mediator re-roled while the read is under way is shown the
   * consultation as it stood while they were one, never what a respondent wrote after.
   */
  async list(q: Asked): Promise<ConsultationView[]> {
    return this.uow.snapshot(async (tx) => {
      const { session } = await this.access.reader(tx, q.sessionId, q.userId);
      const now = new Date(this.clock.now());
      const all = await this.store.consultations(tx, session.id);
      return Promise.all(all.map((c) => readConsultationView(this.store, tx, c, now)));
    });
  }

  async one(q: Asked & { consultationId: string }): Promise<ConsultationView> {
    return this.uow.snapshot(async (tx) => {
      const { session } = await this.access.reader(tx, q.sessionId, q.userId);
      const c = await this.access.consultation(tx, session.id, q.consultationId);
      return readConsultationView(this.store, tx, c, new Date(this.clock.now()));
    });
  }

  /** The moderation queue (or any status): oldest first, each with its group and never its author. */
  async statements(q: Asked & { consultationId: string; status?: StatementStatus }): Promise<ModerationItem[]> {
    return this.uow.snapshot(async (tx) => {
      const { session } = await this.access.reader(tx, q.sessionId, q.userId);
      const c = await this.access.consultation(tx, session.id, q.consultationId);
      return (await this.store.statements(tx, c.id, q.status)).map(moderationItem);
    });
  }

  /**
   * The figures: frozen ones once closed (for the k they were frozen with; another k is worked out
   * from the same stored votes, which no longer change), live ones before.
   */
  async results(q: Asked & { consultationId: string; k?: number }): Promise<ConsultationResults> {
    const k = q.k ?? FROZEN_K;
    return this.uow.snapshot(async (tx) => {
      const { session } = await this.access.reader(tx, q.sessionId, q.userId);
      const c = await this.access.consultation(tx, session.id, q.consultationId);
      const frozen = c.frozenSha256 && c.closedAt ? { sha256: c.frozenSha256, frozenAt: c.closedAt.toISOString() } : null;
      if (c.frozenResults && k === FROZEN_K) return { ...(JSON.parse(c.frozenResults) as Omit<ConsultationResults, 'frozen'>), frozen };
      return { ...(await resultsOf(this.store, tx, c, k)), frozen };
    });
  }

  /** A frozen result checked twice: its stored bytes against its hash, and against results worked out again. */
  async verification(q: Asked & { consultationId: string }): Promise<FrozenVerification> {
    return this.uow.snapshot(async (tx) => {
      const { session } = await this.access.reader(tx, q.sessionId, q.userId);
      const c = await this.access.consultation(tx, session.id, q.consultationId);
      if (!c.frozenResults || !c.frozenSha256) {
        throw new DomainError(
          'CONSULTATION_NOT_CLOSED',
          'Results are frozen when the consultation is closed: there is nothing to verify yet.',
        );
      }
      const again = canonicalize(await resultsOf(this.store, tx, c, FROZEN_K));
      return {
        sha256: c.frozenSha256,
        hashMatches: sha256Hex(c.frozenResults) === c.frozenSha256,
        recomputedMatches: again === c.frozenResults,
      };
    });
  }

  /** Every summary tabled in the session: for everyone seated in it, observers included. */
  async summaries(q: Asked): Promise<ConsultationSummaryView[]> {
    const tx = this.uow.autocommit;
    const { session } = await this.sessions.actor(tx, q.sessionId, q.userId);
    return (await this.store.summaries(tx, session.id)).map(summaryView);
  }
}
