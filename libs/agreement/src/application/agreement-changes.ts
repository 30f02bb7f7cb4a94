import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { AgreementView } from '@parley/contracts';
import { AuditTrail, type AuditFact } from '@parley/audit';
import { UnitOfWork, type Tx } from '@parley/platform';
import { SessionDirectory, type SeatedParticipant, type SessionRecord } from '@parley/sessions';
import { assertMayAct, sha256Hex, type AgreementEvent, type AgreementState, type DecisionContext, type Proposal } from '../domain';
import { AgreementPublisher } from './agreement-publisher';
import { AgreementStore } from './agreement-store';
import { agreementView } from './agreement-views';

export interface ChangeScope {
  tx: Tx;
  session: SessionRecord;
  actor: SeatedParticipant;
  state: AgreementState;
  ctx: DecisionContext;
}

export interface ChangeOutcome {
  state?: AgreementState;
  events: AgreementEvent[];
  proposal?: Proposal;
  /** The idempotency key of a proposal being made. */
  clientKey?: string;
  /** The canonical final text, stored with the hash at finalisation. */
  finalText?: string;
}

/**
 * Every change of the agreement runs here: in one transaction, with the agreement row locked, the
 * decision is made on the current state, written, and entered in the audit chain; once committed,
 * it is announced. Observers and closed sessions are refused before anything is read.
 */
@Injectable()
export class AgreementChanges {
  private readonly logger = new Logger('Agreement');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly sessions: SessionDirectory,
    private readonly store: AgreementStore,
    private readonly audit: AuditTrail,
    private readonly publisher: AgreementPublisher,
  ) {}

  /**
   * Who asks, located, once it is known they may act in the session now: read outside any
   * transaction, for a check made before the change (a password asked only of those who may make
   * it). Inside a change's transaction the session row is locked against changes (`'share'`).
   */
  async actor(cmd: { userId: string; sessionId: string }, tx: Tx = this.uow.autocommit, lock: false | 'share' = false) {
    const { session, actor } = await this.sessions.actor(tx, cmd.sessionId, cmd.userId, lock);
    assertMayAct(actor, session.status);
    return { session, actor };
  }

  async run(cmd: { userId: string; sessionId: string }, decide: (scope: ChangeScope) => Promise<ChangeOutcome> | ChangeOutcome) {
    const done = await this.uow.transaction(async (tx) => {
      // Decided on the actor's role, party and the session's status, held until the commit: a
      // role, status or placement change (each locks the session row) waits for this change or
      // is seen by it. Unlocked, a head demoted while signing off could sign after the demotion,
      // in the audit chain's order too (each statement here reads what is committed when it runs).
      const { session, actor } = await this.actor(cmd, tx, 'share');
      const before = await this.store.lock(tx, session.id);
      const outcome = await decide({ tx, session, actor, state: before, ctx: { now: new Date(), newId: randomUUID } });
      const after = outcome.state ?? before;
      await this.store.save(tx, before, after, outcome.events, outcome.finalText);
      if (outcome.proposal && outcome.events.length) await this.store.saveProposal(tx, session.id, outcome.proposal, outcome.clientKey);
      await this.audit.append(
        tx,
        session.id,
        outcome.events.map((e) => auditFact(e, cmd.userId, actor.id)),
      );
      const names = after !== before ? await this.store.names(tx, session.id) : null;
      return { ...outcome, state: after, names, actor };
    });
    // Committed: a failure to announce must not turn the change into an error for its author
    // (clients catch up with `agreement.get`; revisions tell them what is newer).
    try {
      this.publisher.publish(done.state, done.events, done.names);
    } catch (e) {
      this.logger.error(`announcing failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    return done;
  }

  /** A change of the text itself: answers with the text as its author (never an observer) now sees it. */
  async runOnText(
    cmd: { userId: string; sessionId: string },
    decide: (scope: ChangeScope) => Promise<ChangeOutcome> | ChangeOutcome,
  ): Promise<AgreementView> {
    const done = await this.run(cmd, decide);
    return agreementView(done.state, 'negotiators', done.names!);
  }
}

const digest = (v: unknown) => sha256Hex(canonicalize(v));

/** What the audit chain keeps of each fact: ids, states and hashes of wording (the wording itself is in the versions). */
export function auditFact(e: AgreementEvent, actorUserId: string, actorParticipantId: string): AuditFact {
  const by = { actorUserId, actorParticipantId };
  switch (e.type) {
    case 'clause.versioned':
      return {
        ...by,
        type: 'agreement.clause.versioned',
        payload: {
          clauseId: e.clause.id,
          version: e.clause.version,
          changeKind: e.changeKind,
          deleted: e.deleted,
          proposalId: e.proposalId,
          wordingSha256: digest({ heading: e.clause.heading, wording: e.clause.wording }),
          // As a sign-off's: which credential was checked again at the moment of deleting, and when.
          ...(e.reauthenticated && { reauthenticated: e.reauthenticated.method, reauthenticatedAt: e.reauthenticated.at }),
        },
      };
    case 'clause.marked':
      return {
        ...by,
        type: 'agreement.clause.marked',
        payload: { clauseId: e.clauseId, version: e.version, partyId: e.partyId, level: e.level },
      };
    case 'option.supported':
      return {
        ...by,
        type: 'agreement.option.supported',
        payload: { clauseId: e.clauseId, version: e.version, segmentId: e.segmentId, optionId: e.optionId, partyId: e.partyId },
      };
    case 'proposal.made':
      return {
        ...by,
        type: 'agreement.proposal.made',
        payload: {
          proposalId: e.proposal.id,
          kind: e.proposal.change.kind,
          visibility: e.proposal.visibility,
          partyId: e.proposal.origin.kind === 'party' ? e.proposal.origin.partyId : null,
          counterTo: e.proposal.counterTo,
          changeSha256: digest(e.proposal.change),
        },
      };
    case 'proposal.responded':
      return {
        ...by,
        type: 'agreement.proposal.responded',
        payload: {
          proposalId: e.proposal.id,
          partyId: e.response.partyId,
          response: e.response.response,
          commentSha256: e.response.comment ? sha256Hex(e.response.comment) : null,
        },
      };
    case 'proposal.adopted':
      return {
        ...by,
        type: 'agreement.proposal.adopted',
        payload: { proposalId: e.proposal.id, clauseId: e.clauseId, version: e.version },
      };
    case 'proposal.withdrawn':
      return { ...by, type: 'agreement.proposal.withdrawn', payload: { proposalId: e.proposal.id } };
    case 'agreement.finalised':
      return { ...by, type: 'agreement.finalised', payload: { sha256: e.sha256 } };
    case 'agreement.signed_off':
      return {
        ...by,
        type: 'agreement.signed_off',
        payload: {
          partyId: e.signOff.partyId,
          sha256: e.signOff.sha256,
          complete: e.complete,
          reauthenticated: e.reauthenticated.method,
          reauthenticatedAt: e.reauthenticated.at,
        },
      };
  }
}
