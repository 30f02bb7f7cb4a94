import { Injectable } from '@nestjs/common';
import type { AgreementHistory, AgreementView, ProposalView, RedlineView } from '@parley/contracts';
import { DomainError, UnitOfWork, type Tx } from '@parley/platform';
import { wordDiff } from '@parley/platform/domain';
import { SessionDirectory, isMediator, type LocatedParticipant } from '@parley/sessions';
import {
  assertMaySeeNegotiation,
  mayViewProposal,
  textViewFor,
  proposalNotFound,
  render,
  toHtml,
  toMarkdown,
  type FinalText,
} from '../domain';
import { AgreementStore } from './agreement-store';
import { agreementView, proposalView, versionView } from './agreement-views';

export type ExportFormat = 'markdown' | 'html' | 'json';

interface Query {
  userId: string;
  sessionId: string;
}

/** Reading the text, the proposals, the history and the exports: each filtered by who asks. */
@Injectable()
export class AgreementQueries {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly sessions: SessionDirectory,
    private readonly store: AgreementStore,
  ) {}

  /**
   * `work` as the viewer, on one snapshot: whose role and party decide the view, and what is read
   * under that view, belong to one moment (a viewer re-roled meanwhile is never shown what the
   * new role may not see and was written after).
   */
  private asViewer<T>(q: Query, work: (actor: LocatedParticipant, tx: Tx) => Promise<T>): Promise<T> {
    return this.uow.snapshot(async (tx) => work((await this.sessions.actor(tx, q.sessionId, q.userId)).actor, tx));
  }

  /** The text: in full for mediators and delegations, as tabled for observers. */
  text(q: Query): Promise<AgreementView> {
    return this.asViewer(q, async (actor, tx) => {
      const state = await this.store.read(tx, q.sessionId);
      return agreementView(state, textViewFor(actor), await this.store.names(tx, q.sessionId));
    });
  }

  proposals(q: Query): Promise<ProposalView[]> {
    return this.asViewer(q, async (actor, tx) => {
      assertMaySeeNegotiation(actor);
      const all = await this.store.proposals(tx, q.sessionId);
      return all.filter((p) => mayViewProposal(actor, p)).map((p) => proposalView(q.sessionId, p, actor));
    });
  }

  proposal(q: Query & { proposalId: string }): Promise<ProposalView> {
    return this.asViewer(q, async (actor, tx) => {
      const p = await this.store.proposal(tx, q.sessionId, q.proposalId);
      if (!p || !mayViewProposal(actor, p)) throw proposalNotFound();
      return proposalView(q.sessionId, p, actor);
    });
  }

  /**
   * Every version of every clause, oldest first (deleted clauses included). A version adopted from
   * a proposal the viewer may not see names no proposal.
   */
  history(q: Query & { clauseId?: string }): Promise<AgreementHistory> {
    return this.asViewer(q, async (actor, tx) => {
      assertMaySeeNegotiation(actor);
      const versions = await this.store.versions(tx, q.sessionId, q.clauseId);
      const proposalIds = [...new Set(versions.map((v) => v.proposalId).filter((id): id is string => !!id))];
      // Mediators see every proposal; anyone else, those mayViewProposal allows.
      const visible = isMediator(actor)
        ? null
        : new Set((await this.store.proposals(tx, q.sessionId, proposalIds)).filter((p) => mayViewProposal(actor, p)).map((p) => p.id));
      return {
        sessionId: q.sessionId,
        versions: versions.map((v) => versionView(v, !!v.proposalId && (!visible || visible.has(v.proposalId)))),
      };
    });
  }

  /** The redline between two versions of a clause: word by word. */
  redline(q: Query & { clauseId: string; from: number; to: number }): Promise<RedlineView> {
    return this.asViewer(q, async (actor, tx) => {
      assertMaySeeNegotiation(actor);
      const rows = await this.store.wordings(tx, q.sessionId, q.clauseId);
      if (!rows.length) throw new DomainError('CLAUSE_NOT_FOUND', 'No such clause in this text.', 'clauseId');
      const at = (version: number, field: string) => {
        const v = rows.find((r) => r.version === version);
        if (!v) throw new DomainError('VERSION_NOT_FOUND', `No version ${version} of this clause.`, field);
        return render(v.wording);
      };
      return { clauseId: q.clauseId, from: q.from, to: q.to, diff: wordDiff(at(q.from, 'from'), at(q.to, 'to')) };
    });
  }

  /** The final text with its hash and sign-offs, for anyone in the session (it is the agreed text). */
  export(q: Query & { format: ExportFormat }): Promise<{ contentType: string; body: string; filename: string }> {
    return this.asViewer(q, async (_actor, tx) => {
      const state = await this.store.read(tx, q.sessionId);
      if (state.status === 'drafting' || !state.finalText || !state.finalSha256) {
        throw new DomainError('AGREEMENT_NOT_FINAL', 'The text is not final yet: there is nothing to export.');
      }
      // Named by the hash the heads signed, as the page names it: ASCII only, nothing of the text.
      const filename = `agreement-${state.finalSha256.slice(0, 12)}.${{ markdown: 'md', html: 'html', json: 'json' }[q.format]}`;
      if (q.format === 'json') return { contentType: 'application/json; charset=utf-8', body: state.finalText, filename };
      const text = JSON.parse(state.finalText) as FinalText;
      const view = agreementView(state, 'observers', await this.store.names(tx, q.sessionId));
      const signed = view.signOffs.map((s) => ({ partyName: s.partyName, signedBy: s.signedBy, sha256: s.sha256, signedAt: s.signedAt }));
      return q.format === 'markdown'
        ? { contentType: 'text/markdown; charset=utf-8', body: toMarkdown(text, state.finalSha256, signed), filename }
        : { contentType: 'text/html; charset=utf-8', body: toHtml(text, state.finalSha256, signed), filename };
    });
  }
}
