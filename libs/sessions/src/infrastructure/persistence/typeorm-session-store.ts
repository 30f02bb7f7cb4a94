import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { IsNull, Not } from 'typeorm';
import type { LanguagePair, ParticipantRole, SessionStatus } from '@parley/contracts';
import { DomainError, managerOf, type Tx } from '@parley/platform';
import type { BreakState } from '../../domain';
import { SessionStore, type NewSession, type SessionChanges } from '../../application/session-store';
import { MediationSessionEntity } from './mediation-session.entity';
import { ParticipantEntity } from './participant.entity';
import { PartyEntity } from './party.entity';
import { RoomEntity, RoomMemberEntity } from './room.entity';

@Injectable()
export class TypeOrmSessionStore extends SessionStore {
  async lockCreator(tx: Tx, userId: string): Promise<{ id: string; displayName: string } | null> {
    // Auth's table, read for its row lock only: sessions names no entity of another context.
    const rows = await managerOf(tx).query<Array<{ id: string; display_name: string }>>(
      `SELECT "id", "display_name" FROM "users" WHERE "id" = $1 LIMIT 1 FOR UPDATE`,
      [userId],
    );
    return rows[0] ? { id: rows[0].id, displayName: rows[0].display_name } : null;
  }

  countOpenCreatedBy(tx: Tx, userId: string): Promise<number> {
    return managerOf(tx)
      .getRepository(MediationSessionEntity)
      .count({ where: { createdByUserId: userId, status: Not('closed') } });
  }

  async create(tx: Tx, s: NewSession): Promise<void> {
    const manager = managerOf(tx);
    await manager.getRepository(MediationSessionEntity).insert({
      id: s.id,
      title: s.title,
      description: s.description,
      status: 'draft',
      languages: [...s.languages],
      createdByUserId: s.createdByUserId,
    });
    await manager.getRepository(RoomEntity).insert([
      { id: s.plenaryId, sessionId: s.id, kind: 'plenary', name: 'Plenary', partyId: null, closedAt: null },
      { id: s.mediatorRoomId, sessionId: s.id, kind: 'mediator', name: 'Mediator room', partyId: null, closedAt: null },
    ]);
    await manager.getRepository(ParticipantEntity).insert({
      id: s.lead.id,
      sessionId: s.id,
      userId: s.lead.userId,
      role: 'lead_mediator',
      partyId: null,
      isHead: false,
      broughtByPartyId: null,
      languages: null,
      displayName: s.lead.displayName,
      roomId: null,
    });
  }

  async addParticipant(
    tx: Tx,
    p: {
      id: string;
      sessionId: string;
      userId: string;
      role: ParticipantRole;
      partyId: string | null;
      isHead: boolean;
      displayName: string;
      broughtByPartyId: string | null;
      languages: LanguagePair | null;
    },
  ): Promise<void> {
    const repo = managerOf(tx).getRepository(ParticipantEntity);
    await repo.insert(repo.create({ ...p, roomId: null }));
  }

  countParties(tx: Tx, sessionId: string): Promise<number> {
    return managerOf(tx).getRepository(PartyEntity).count({ where: { sessionId } });
  }

  async addPartyWithCaucus(tx: Tx, sessionId: string, name: string, position: number): Promise<{ partyId: string; caucusRoomId: string }> {
    const manager = managerOf(tx);
    const partyId = randomUUID();
    const caucusRoomId = randomUUID();
    const trimmed = name.trim();
    const nameKey = trimmed.toLowerCase();
    if (await manager.getRepository(PartyEntity).exists({ where: { sessionId, nameKey } })) {
      throw new DomainError('PARTY_NAME_TAKEN', 'A party of this session already has this name.', 'name');
    }
    await manager.getRepository(PartyEntity).insert({ id: partyId, sessionId, name: trimmed, nameKey, position });
    await manager
      .getRepository(RoomEntity)
      .insert({ id: caucusRoomId, sessionId, kind: 'caucus', name: `Caucus — ${trimmed}`, partyId, closedAt: null });
    return { partyId, caucusRoomId };
  }

  async update(tx: Tx, sessionId: string, changes: SessionChanges): Promise<void> {
    await managerOf(tx).getRepository(MediationSessionEntity).update({ id: sessionId }, changes);
  }

  async setStatus(tx: Tx, sessionId: string, status: SessionStatus, brk: BreakState): Promise<void> {
    await managerOf(tx).getRepository(MediationSessionEntity).update(
      { id: sessionId },
      {
        status,
        breakReason: brk.reason,
        breakStartedAt: brk.startedAt,
        breakEndsAt: brk.endsAt,
      },
    );
  }

  async openJointRoom(tx: Tx, sessionId: string, room: { id: string; name: string; memberIds: readonly string[] }): Promise<void> {
    const manager = managerOf(tx);
    await manager
      .getRepository(RoomEntity)
      .insert({ id: room.id, sessionId, kind: 'joint', name: room.name, partyId: null, closedAt: null });
    if (room.memberIds.length)
      await manager.getRepository(RoomMemberEntity).insert(room.memberIds.map((participantId) => ({ roomId: room.id, participantId })));
  }

  async closeRoom(tx: Tx, roomId: string): Promise<void> {
    await managerOf(tx).getRepository(RoomEntity).update({ id: roomId, closedAt: IsNull() }, { closedAt: new Date() });
  }
}
