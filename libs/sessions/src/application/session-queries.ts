import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type {
  AuditEntryView,
  ParticipantView,
  PresenceOverview,
  SealedAuditEntryView,
  SessionSummary,
  SessionView,
} from '@parley/contracts';
import { AuditTrail, type ChainVerdict } from '@parley/audit';
import { assertMediator, orderRooms, toBreakView, visibleRooms } from '../domain';
import { MediationSessionEntity, ParticipantEntity, PartyEntity } from '../infrastructure/persistence';
import { PresenceReader } from './room-notifier';
import { breakOf, loadActor, loadRooms } from './session-access';
import { toParticipantView, toRoomView } from './views';

/** Reads. Each answers only what the caller's membership entitles them to. */
@Injectable()
export class SessionQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly presence: PresenceReader,
  ) {}

  async mySessions(userId: string): Promise<SessionSummary[]> {
    const mine = await this.dataSource.getRepository(ParticipantEntity).find({ where: { userId } });
    if (!mine.length) return [];
    const sessions = await this.dataSource.getRepository(MediationSessionEntity).find({
      where: { id: In(mine.map((p) => p.sessionId)) },
      order: { createdAt: 'DESC' },
    });
    return sessions.map((s) => {
      const me = mine.find((p) => p.sessionId === s.id)!;
      return { id: s.id, title: s.title, status: s.status, myParticipantId: me.id, myRole: me.role };
    });
  }

  /** The session as the caller sees it: a party member sees no other party's caucus. */
  async session(userId: string, sessionId: string): Promise<SessionView> {
    const manager = this.dataSource.manager;
    const { session, actor } = await loadActor(manager, sessionId, userId);
    const [parties, rooms] = await Promise.all([
      manager.getRepository(PartyEntity).find({ where: { sessionId }, order: { position: 'ASC' } }),
      loadRooms(manager, sessionId),
    ]);
    const caucusOf = new Map(rooms.filter((r) => r.kind === 'caucus').map((r) => [r.partyId, r.id]));
    const ordered = orderRooms(
      rooms,
      parties.map((p) => p.id),
      (r) => r.entity.createdAt.getTime(),
    );
    const visible = visibleRooms(actor, ordered);
    return {
      id: session.id,
      title: session.title,
      description: session.description,
      status: session.status,
      coolingOffSeconds: session.coolingOffSeconds,
      createdAt: session.createdAt.toISOString(),
      break: toBreakView(session.status, breakOf(session)),
      // Every participant knows who is at the table; only entitled rooms are listed.
      parties: parties.map((p) => ({ id: p.id, name: p.name, caucusRoomId: visible.find((r) => r.id === caucusOf.get(p.id))?.id ?? null })),
      rooms: visible.map(toRoomView),
      me: { ...toParticipantView(actor), roomId: actor.roomId },
    };
  }

  async participants(userId: string, sessionId: string): Promise<ParticipantView[]> {
    await loadActor(this.dataSource.manager, sessionId, userId);
    const all = await this.dataSource
      .getRepository(ParticipantEntity)
      .find({ where: { sessionId }, order: { joinedAt: 'ASC', id: 'ASC' } });
    return all.map(toParticipantView);
  }

  /** The mediators' overview of every room and the lobby. */
  async overview(userId: string, sessionId: string): Promise<PresenceOverview> {
    const { actor } = await loadActor(this.dataSource.manager, sessionId, userId);
    assertMediator(actor);
    // In the one room order: PresenceReader puts them in it, for this answer and every push alike.
    return this.presence.overview(sessionId);
  }

  /** The trail as a mediator may read it: sealed entries (a message cooling off) as their commitment only. */
  async auditTrail(
    userId: string,
    sessionId: string,
  ): Promise<{ entries: Array<AuditEntryView | SealedAuditEntryView>; verification: ChainVerdict }> {
    const { actor } = await loadActor(this.dataSource.manager, sessionId, userId);
    assertMediator(actor);
    return this.audit.readable(sessionId);
  }
}
