import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { managerOf, type Tx } from '@parley/platform';
import type { AgreementEvent, AgreementState, Clause, Proposal, Wording } from '../domain';
import { AgreementStore, type ClauseVersion, type Names } from '../application/agreement-store';
import { AgreementEntity, ClauseEntity, ClauseVersionEntity, ProposalEntity } from './persistence';

/**
 * The agreement's tables through TypeORM. The sessions context's tables (parties, participants)
 * are read by name, in SQL: one schema, but their entities are that context's own.
 */
@Injectable()
export class TypeOrmAgreementStore extends AgreementStore {
  async lock(tx: Tx, sessionId: string): Promise<AgreementState> {
    const manager = managerOf(tx);
    await manager.query(`INSERT INTO "agreements" ("session_id", "sign_offs") VALUES ($1, '[]') ON CONFLICT DO NOTHING`, [sessionId]);
    const row = await manager.getRepository(AgreementEntity).findOneOrFail({ where: { sessionId }, lock: { mode: 'pessimistic_write' } });
    return this.state(manager, sessionId, row);
  }

  async read(tx: Tx, sessionId: string): Promise<AgreementState & { finalText: string | null }> {
    const manager = managerOf(tx);
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
      manager.query<Array<{ id: string }>>(`SELECT "id" FROM "parties" WHERE "session_id" = $1 ORDER BY "position" ASC`, [sessionId]),
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

  async save(tx: Tx, before: AgreementState, after: AgreementState, events: readonly AgreementEvent[], finalText?: string): Promise<void> {
    if (after === before) return;
    const manager = managerOf(tx);
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

  async proposal(tx: Tx, sessionId: string, id: string): Promise<Proposal | null> {
    const row = await managerOf(tx).getRepository(ProposalEntity).findOne({ where: { id, sessionId } });
    return row ? toProposal(row) : null;
  }

  async proposals(tx: Tx, sessionId: string, ids?: readonly string[]): Promise<Proposal[]> {
    if (ids && !ids.length) return [];
    const rows = await managerOf(tx)
      .getRepository(ProposalEntity)
      .find({
        where: { sessionId, ...(ids ? { id: In([...ids]) } : {}) },
        order: { createdAt: 'ASC', id: 'ASC' },
      });
    return rows.map(toProposal);
  }

  async proposalByKey(tx: Tx, sessionId: string, authorParticipantId: string, clientKey: string): Promise<Proposal | null> {
    const row = await managerOf(tx).getRepository(ProposalEntity).findOne({ where: { sessionId, authorParticipantId, clientKey } });
    return row ? toProposal(row) : null;
  }

  async saveProposal(tx: Tx, sessionId: string, p: Proposal, clientKey?: string): Promise<void> {
    await managerOf(tx)
      .getRepository(ProposalEntity)
      .save({
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

  async names(tx: Tx, sessionId: string): Promise<Names> {
    const manager = managerOf(tx);
    const [parties, people] = await Promise.all([
      manager.query<Array<{ id: string; name: string }>>(`SELECT "id", "name" FROM "parties" WHERE "session_id" = $1`, [sessionId]),
      manager.query<Array<{ id: string; display_name: string }>>(
        `SELECT "id", "display_name" FROM "participants" WHERE "session_id" = $1`,
        [sessionId],
      ),
    ]);
    return new Map([...parties.map((p) => [p.id, p.name] as const), ...people.map((p) => [p.id, p.display_name] as const)]);
  }

  async versions(tx: Tx, sessionId: string, clauseId?: string): Promise<ClauseVersion[]> {
    const rows = await managerOf(tx)
      .getRepository(ClauseVersionEntity)
      .find({
        where: { sessionId, ...(clauseId ? { clauseId } : {}) },
        order: { createdAt: 'ASC', version: 'ASC' },
      });
    return rows.map((v) => ({
      clauseId: v.clauseId,
      version: v.version,
      heading: v.heading,
      wording: { text: v.text, segments: v.segments },
      deleted: v.deleted,
      changeKind: v.changeKind,
      authorParticipantId: v.authorParticipantId,
      proposalId: v.proposalId,
      createdAt: v.createdAt.toISOString(),
    }));
  }

  async wordings(tx: Tx, sessionId: string, clauseId: string): Promise<Array<{ version: number; wording: Wording }>> {
    const rows = await managerOf(tx)
      .getRepository(ClauseVersionEntity)
      .find({ where: { sessionId, clauseId }, select: { version: true, text: true, segments: true } });
    return rows.map((v) => ({ version: v.version, wording: { text: v.text, segments: v.segments } }));
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
