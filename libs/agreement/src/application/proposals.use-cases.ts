import { Injectable } from '@nestjs/common';
import type { ProposalChange, ProposalResponse, ProposalView, ProposalVisibility } from '@parley/contracts';
import { adopt, propose, proposalNotFound, respond, withdraw, type Proposal } from '../domain';
import { AgreementChanges, type ChangeOutcome, type ChangeScope } from './agreement-changes';
import { AgreementStore } from './agreement-store';
import { proposalView } from './agreement-views';

export interface MakeProposalCommand {
  userId: string;
  sessionId: string;
  change: ProposalChange;
  visibility: ProposalVisibility;
  counterTo?: string;
  rationale?: string;
  /** Idempotency key: a retry with the same key answers with the proposal already made. */
  clientProposalId?: string;
}

/** A delegation (privately to the mediators, or tabled openly) or a mediator proposes a change of the text. */
@Injectable()
export class MakeProposalUseCase {
  constructor(
    private readonly changes: AgreementChanges,
    private readonly store: AgreementStore,
  ) {}

  async execute(cmd: MakeProposalCommand): Promise<ProposalView> {
    const done = await this.changes.run(cmd, async ({ tx, session, state, actor, ctx }) => {
      const key = cmd.clientProposalId;
      const earlier = key ? await this.store.proposalByKey(tx, session.id, actor.id, key) : null;
      if (earlier) return { events: [], proposal: earlier };
      const counterTo = cmd.counterTo ? await this.store.proposal(tx, session.id, cmd.counterTo) : null;
      if (cmd.counterTo && !counterTo) throw proposalNotFound('counterTo');
      return {
        ...propose(state, actor, { change: cmd.change, visibility: cmd.visibility, counterTo, rationale: cmd.rationale }, ctx),
        clientKey: key,
      };
    });
    return proposalView(cmd.sessionId, done.proposal!, done.actor);
  }
}

type ProposalDecision = (scope: ChangeScope, p: Proposal) => ChangeOutcome & { proposal: Proposal };

/** Runs a decision on one stored proposal; an id the actor may not see is the same 404 as an unknown one. */
async function onProposal(
  changes: AgreementChanges,
  store: AgreementStore,
  cmd: { userId: string; sessionId: string; proposalId: string },
  decide: ProposalDecision,
): Promise<ProposalView> {
  const done = await changes.run(cmd, async (scope) => {
    const p = await store.proposal(scope.tx, scope.session.id, cmd.proposalId);
    if (!p) throw proposalNotFound();
    return decide(scope, p);
  });
  return proposalView(cmd.sessionId, done.proposal!, done.actor);
}

/** Each party answers a tabled proposal: accept, reject or reserve, with a comment. */
@Injectable()
export class RespondToProposalUseCase {
  constructor(
    private readonly changes: AgreementChanges,
    private readonly store: AgreementStore,
  ) {}

  execute(cmd: {
    userId: string;
    sessionId: string;
    proposalId: string;
    response: ProposalResponse;
    comment?: string;
  }): Promise<ProposalView> {
    return onProposal(this.changes, this.store, cmd, ({ state, actor, ctx }, p) => respond(state, actor, p, cmd, ctx));
  }
}

/** The mediator adopts a proposal into the text: a new version of the clause, from that proposal. */
@Injectable()
export class AdoptProposalUseCase {
  constructor(
    private readonly changes: AgreementChanges,
    private readonly store: AgreementStore,
  ) {}

  execute(cmd: { userId: string; sessionId: string; proposalId: string }): Promise<ProposalView> {
    return onProposal(this.changes, this.store, cmd, ({ state, actor, ctx }, p) => adopt(state, actor, p, ctx));
  }
}

/** The mediator, or the proposing delegation, withdraws an open proposal. */
@Injectable()
export class WithdrawProposalUseCase {
  constructor(
    private readonly changes: AgreementChanges,
    private readonly store: AgreementStore,
  ) {}

  execute(cmd: { userId: string; sessionId: string; proposalId: string }): Promise<ProposalView> {
    return onProposal(this.changes, this.store, cmd, ({ state, actor, ctx }, p) => withdraw(state, actor, p, ctx));
  }
}
