import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { ParticipantEntity, PartyEntity } from '@parley/sessions';
import type { AgreementEvent, AgreementState, Clause, Proposal } from '../domain';
import { AgreementEntity, ClauseEntity, ClauseVersionEntity, ProposalEntity } from './persistence';

/** Names a view of the text shows: parties, and the participants who signed. */
export type Names = ReadonlyMap<string, string>;

/**
 * Loads the agreement of a session as the domain sees it, and writes back what a decision changed:
 * the clauses it touched (with their order), a version row per new version, the proposal.
 */
@Injectable()
export class AgreementStore {
  /** The state, with the agreement row locked until the transaction ends: one change of the text at a time. */
  async lock(manager: EntityManager, sessionId: string): Promise<AgreementState> {
    await manager.query(`INSERT INTO "agreements" ("session_id", "sign_offs") VALUES ($1, '[]') ON CONFLICT DO NOTHING`, [sessionId]);
    const row = await manager.getRepository(AgreementEntity).findOneOrFail({ where: { sessionId }, lock: { mode: 'pessimistic_write' } });
    return this.state(manager, sessionId, row);
  }

  async read(manager: EntityManager, sessionId: string): Promise<AgreementState & { finalText: string | null }> {
    const row = await manager.getRepository(AgreementEntity).findOne({ where: { sessionId } });
    return this.state(manager, sessionId, row);
  }

  private async state(
    manager: EntityManager,
    sessionId: string,
    row: AgreementEntity | null,
  ): Promise<AgreementState & { finalText: string | null }> {
    const [clauses, parties] = await Promise.all([
      manager.getRepository(ClauseEntity).find({ where: { sessionId, deleted: false }, order: { position: 'ASC' } }),
      manager.getRepository(PartyEntity).find({ where: { sessionId }, select: { id: true }, order: { position: 'ASC' } }),
    ]);
    return {
      sessionId,
      status: row?.status ?? 'drafting',
      revision: row?.revision ?? 0,
      partyIds: parties.map((p) => p.id),
      clauses: clauses.map((c) => ({
        id: c.id,
        version: c.version,
        heading: c.heading,
        wording: { text: c.text, segments: c.segments },
        marks: c.marks,
      })),
      finalSha256: row?.finalSha256 ?? null,
      finalisedAt: row?.finalisedAt?.toISOString() ?? null,
      signOffs: row?.signOffs ?? [],
      finalText: row?.finalText ?? null,
    };
  }

  async save(
    manager: EntityManager,
    before: AgreementState,
    after: AgreementState,
    events: readonly AgreementEvent[],
    finalText?: string,
  ): Promise<void> {
    if (after === before) return;
    const clauses = manager.getRepository(ClauseEntity);
    const was = new Map(before.clauses.map((c, i) => [c.id, { c, i }]));
    const row = (c: Clause, position: number) => ({
      position,
      version: c.version,
      heading: c.heading,
      text: c.wording.text,
      segments: c.wording.segments as ClauseEntity['segments'],
      marks: c.marks,
    });
    for (const [i, c] of after.clauses.entries()) {
      const prev = was.get(c.id);
      if (!prev) await clauses.insert({ id: c.id, sessionId: after.sessionId, deleted: false, ...row(c, i) });
      else if (prev.c !== c || prev.i !== i) await clauses.update({ id: c.id }, row(c, i));
    }
    for (const e of events) {
      if (e.type !== 'clause.versioned') continue;
      if (e.deleted) await clauses.update({ id: e.clause.id }, { deleted: true, version: e.clause.version, marks: {} });
      await manager.getRepository(ClauseVersionEntity).insert({
        clauseId: e.clause.id,
        version: e.clause.version,
        sessionId: after.sessionId,
        heading: e.clause.heading,
        text: e.clause.wording.text,
        segments: e.clause.wording.segments as ClauseEntity['segments'],
        deleted: e.deleted,
        changeKind: e.changeKind,
        authorParticipantId: e.authorParticipantId,
        proposalId: e.proposalId,
        createdAt: new Date(),
      });
    }
    await manager.getRepository(AgreementEntity).update(
      { sessionId: after.sessionId },
      {
        status: after.status,
        revision: after.revision,
        finalSha256: after.finalSha256,
        finalisedAt: after.finalisedAt ? new Date(after.finalisedAt) : null,
        signOffs: after.signOffs as AgreementEntity['signOffs'],
        ...(finalText !== undefined ? { finalText } : {}),
      },
    );
  }

  async proposal(manager: EntityManager, sessionId: string, id: string): Promise<Proposal | null> {
    const row = await manager.getRepository(ProposalEntity).findOne({ where: { id, sessionId } });
    return row ? toProposal(row) : null;
  }

  /** The session's proposals (or only those with these ids), oldest first. */
  async proposals(manager: EntityManager, sessionId: string, ids?: readonly string[]): Promise<Proposal[]> {
    if (ids && !ids.length) return [];
    const rows = await manager.getRepository(ProposalEntity).find({
      where: { sessionId, ...(ids ? { id: In([...ids]) } : {}) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return rows.map(toProposal);
  }

  /** The proposal this author already made with this idempotency key, if any. */
  async proposalByKey(manager: EntityManager, sessionId: string, authorParticipantId: string, clientKey: string): Promise<Proposal | null> {
    const row = await manager.getRepository(ProposalEntity).findOne({ where: { sessionId, authorParticipantId, clientKey } });
    return row ? toProposal(row) : null;
  }

  /** Inserts or updates a proposal; `clientKey` is given when it is made. */
  async saveProposal(manager: EntityManager, sessionId: string, p: Proposal, clientKey?: string): Promise<void> {
    await manager.getRepository(ProposalEntity).save({
      ...(clientKey !== undefined ? { clientKey } : {}),
      id: p.id,
      sessionId,
      kind: p.change.kind,
      change: p.change,
      originKind: p.origin.kind,
      partyId: p.origin.kind === 'party' ? p.origin.partyId : null,
      authorParticipantId: p.origin.participantId,
      visibility: p.visibility,
      status: p.status,
      counterTo: p.counterTo,
      counterPrivateTo: p.counterPrivateTo,
      rationale: p.rationale,
      responses: p.responses as ProposalEntity['responses'],
      createdAt: new Date(p.createdAt),
      decidedAt: p.decidedAt ? new Date(p.decidedAt) : null,
      adoptedClauseId: p.adopted?.clauseId ?? null,
      adoptedVersion: p.adopted?.version ?? null,
    });
  }

  /** Party names, and the names of participants (signers, authors) of the session. */
  async names(manager: EntityManager, sessionId: string): Promise<Names> {
    const [parties, people] = await Promise.all([
      manager.getRepository(PartyEntity).find({ where: { sessionId }, select: { id: true, name: true } }),
      manager.getRepository(ParticipantEntity).find({ where: { sessionId }, select: { id: true, displayName: true } }),
    ]);
    return new Map([...parties.map((p) => [p.id, p.name] as const), ...people.map((p) => [p.id, p.displayName] as const)]);
  }
}

function toProposal(r: ProposalEntity): Proposal {
  return {
    id: r.id,
    change: r.change,
    origin:
      r.originKind === 'party'
        ? { kind: 'party', partyId: r.partyId!, participantId: r.authorParticipantId }
        : { kind: 'mediator', participantId: r.authorParticipantId },
    visibility: r.visibility,
    status: r.status,
    counterTo: r.counterTo,
    counterPrivateTo: r.counterPrivateTo,
    rationale: r.rationale,
    responses: r.responses,
    createdAt: r.createdAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    adopted: r.adoptedClauseId ? { clauseId: r.adoptedClauseId, version: r.adoptedVersion! } : null,
  };
}
