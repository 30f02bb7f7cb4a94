import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  CONSULTATION_LIMITS,
  type BallotItem,
  type CastVote,
  type ConsultationPublicView,
  type RespondentStarted,
  type RespondentView,
} from '@parley/contracts';
import { Clock, DomainError, UnitOfWork, type Tx } from '@parley/platform';
import {
  assertMayVote,
  assertMayWrite,
  assertOpenForRespondents,
  codeHash,
  newCode,
  normaliseCode,
  statementText,
  statusAt,
} from '../domain/consultation';
import { ConsultationStore, DuplicateVote, type ConsultationGroup, type Respondent, type StoredConsultation } from './consultation-store';
import { ownStatement } from './consultation-views';

const linkUnknown = () =>
  new DomainError('CONSULTATION_LINK_UNKNOWN', 'This consultation link is not known: check it was copied whole.', 'link');
const respondentUnknown = () =>
  new DomainError('RESPONDENT_UNKNOWN', 'This return code is not known for this link: check it, or start again.', 'x-respondent-code');

/** Who asks: a group link and, for a respondent's own acts, their return code as typed. */
export interface RespondentAsk {
  link: string;
  returnCode?: string;
}

/**
 * A respondent's side of a consultation. No account: the group's link (and a one-time code when the
 * mediators require one) makes a respondent, who gets a return code of their own. What is stored
 * of them is their group and that code's hash — no time, address or device (see the README).
 * Respondents see the consultation as the mediators published it and approved statements; nothing
 * of the talks.
 */
@Injectable()
export class RespondentUseCases {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly store: ConsultationStore,
    private readonly clock: Clock,
  ) {}

  private now(): Date {
    return new Date(this.clock.now());
  }

  private async opened(
    tx: Tx,
    link: string,
    lock?: 'share' | 'update',
  ): Promise<{ consultation: StoredConsultation; group: ConsultationGroup }> {
    const found = await this.store.byLink(tx, link, lock);
    if (!found) throw linkUnknown();
    return found;
  }

  private async respondent(tx: Tx, c: StoredConsultation, group: ConsultationGroup, returnCode: string | undefined): Promise<Respondent> {
    const code = returnCode ? normaliseCode(returnCode) : null;
    if (!code) throw respondentUnknown();
    const r = await this.store.respondent(tx, c.id, codeHash(code));
    // A code works with its own group's link only: one person, one group.
    if (!r || r.groupId !== group.id) throw respondentUnknown();
    return r;
  }

  /** What the link shows before anything else: the consultation as published, for this group. */
  async publicView(link: string): Promise<ConsultationPublicView> {
    const { consultation: c, group } = await this.opened(this.uow.autocommit, link);
    return {
      title: c.title,
      prompt: c.prompt,
      excerpts: c.excerpts,
      languages: c.languages,
      group: { name: group.name },
      status: statusAt(c, this.now()),
      opensAt: c.opensAt.toISOString(),
      closesAt: c.closesAt.toISOString(),
      requireCode: c.requireCode,
      limits: {
        statementMaxLength: CONSULTATION_LIMITS.statementMaxLength,
        statementsPerRespondent: CONSULTATION_LIMITS.statementsPerRespondent,
      },
    };
  }

  /** Becomes a respondent of the link's group: with a one-time code (used up here) when the mediators require one. */
  start(link: string, typedCode: string | undefined): Promise<RespondentStarted> {
    return this.uow.transaction(async (tx) => {
      const { consultation: c, group } = await this.opened(tx, link, 'share');
      assertOpenForRespondents(c, this.now());
      if (c.requireCode) {
        if (!typedCode) throw new DomainError('RESPONDENT_CODE_REQUIRED', 'This consultation asks for the code you were given.', 'code');
        const code = normaliseCode(typedCode);
        const use = code ? await this.store.useCode(tx, group.id, codeHash(code)) : 'unknown';
        if (use === 'unknown') throw new DomainError('RESPONDENT_CODE_INVALID', 'This code is not one given for this link.', 'code');
        if (use === 'already-used')
          throw new DomainError('RESPONDENT_CODE_USED', 'This code has already been used: each code starts one respondent.', 'code');
      }
      const returnCode = newCode();
      await this.store.addRespondent(tx, { id: randomUUID(), consultationId: c.id, groupId: group.id }, codeHash(returnCode));
      return { returnCode };
    });
  }

  async me(ask: RespondentAsk): Promise<RespondentView> {
    const tx = this.uow.autocommit;
    const { consultation: c, group } = await this.opened(tx, ask.link);
    const r = await this.respondent(tx, c, group, ask.returnCode);
    return this.viewOf(tx, r, group);
  }

  private async viewOf(tx: Tx, r: Respondent, group: ConsultationGroup): Promise<RespondentView> {
    const statements = await this.store.statementsBy(tx, r.id);
    return {
      group: { name: group.name },
      statements: statements.map(ownStatement),
      votesCast: await this.store.votesCast(tx, r.id),
      statementsLeft: Math.max(0, CONSULTATION_LIMITS.statementsPerRespondent - statements.length),
    };
  }

  /** A statement, pending until moderated; at most `statementsPerRespondent` each. */
  submit(ask: RespondentAsk, text: string) {
    return this.uow.transaction(async (tx) => {
      // The consultation's row is locked: statements are numbered in turn, and a respondent's cap
      // is counted with no other statement of theirs in flight.
      const { consultation: c, group } = await this.opened(tx, ask.link, 'update');
      assertOpenForRespondents(c, this.now());
      const r = await this.respondent(tx, c, group, ask.returnCode);
      const kept = statementText(text);
      assertMayWrite((await this.store.statementsBy(tx, r.id)).length);
      const statement = {
        id: randomUUID(),
        consultationId: c.id,
        groupId: group.id,
        respondentId: r.id,
        number: await this.store.nextNumber(tx, c.id),
        text: kept,
        status: 'pending' as const,
        reason: null,
        mergedInto: null,
      };
      await this.store.addStatement(tx, statement);
      return ownStatement(statement);
    });
  }

  /** Approved statements the respondent has not written nor voted on yet, a page at a time. */
  async ballot(ask: RespondentAsk): Promise<BallotItem[]> {
    const tx = this.uow.autocommit;
    const { consultation: c, group } = await this.opened(tx, ask.link);
    assertOpenForRespondents(c, this.now());
    const r = await this.respondent(tx, c, group, ask.returnCode);
    const page = await this.store.ballot(tx, c.id, r.id, CONSULTATION_LIMITS.ballotPageSize);
    return page.map((s) => ({ id: s.id, text: s.text }));
  }

  /** One vote per respondent and statement, on approved statements of others only. */
  vote(ask: RespondentAsk, cast: CastVote): Promise<RespondentView> {
    return this.uow.transaction(async (tx) => {
      const { consultation: c, group } = await this.opened(tx, ask.link, 'share');
      assertOpenForRespondents(c, this.now());
      const r = await this.respondent(tx, c, group, ask.returnCode);
      const statement = await this.store.statement(tx, c.id, cast.statementId);
      assertMayVote(statement, r.id, await this.store.hasVoted(tx, cast.statementId, r.id));
      try {
        await this.store.vote(tx, { statementId: statement.id, respondentId: r.id, groupId: group.id, vote: cast.vote });
      } catch (e) {
        if (e instanceof DuplicateVote)
          throw new DomainError('VOTE_ALREADY_CAST', 'You have already voted on this statement.', 'statementId');
        throw e;
      }
      return this.viewOf(tx, r, group);
    });
  }
}
