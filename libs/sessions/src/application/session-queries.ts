import { Injectable } from '@nestjs/common';
import type {
  AuditEntryView,
  ParticipantView,
  PresenceOverview,
  SealedAuditEntryView,
  SessionSummary,
  SessionView,
} from '@parley/contracts';
import { AuditTrail, type ChainVerdict } from '@parley/audit';
import { UnitOfWork } from '@parley/platform';
import { assertMediator, orderRooms, toBreakView, visibleRooms } from '../domain';
import { PresenceReader } from './presence-reader';
import { SessionRoster } from './session-roster';
import { toParticipantView, toRoomView } from './views';

/** Reads. Each answers only what the caller's membership entitles them to. */
@Injectable()
export class SessionQueries {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly roster: SessionRoster,
    private readonly audit: AuditTrail,
    private readonly presence: PresenceReader,
  ) {}

  async mySessions(userId: string): Promise<SessionSummary[]> {
    const tx = this.uow.autocommit;
    const mine = await this.roster.seatsOf(tx, userId);
    if (!mine.length) return [];
    const sessions = await this.roster.sessions(
      tx,
      mine.map((p) => p.sessionId),
    );
    return sessions.map((s) => {
      const me = mine.find((p) => p.sessionId === s.id)!;
      return { id: s.id, title: s.title, status: s.status, myParticipantId: me.id, myRole: me.role };
    });
  }

  /** The session as the caller sees it: a party member sees no other party's caucus. */
  async session(userId: string, sessionId: string): Promise<SessionView> {
    const tx = this.uow.autocommit;
    const { session, actor } = await this.roster.actor(tx, sessionId, userId);
    const [parties, rooms] = await Promise.all([this.roster.parties(tx, sessionId), this.roster.rooms(tx, sessionId)]);
    const caucusOf = new Map(rooms.filter((r) => r.kind === 'caucus').map((r) => [r.partyId, r.id]));
    const ordered = orderRooms(
      rooms,
      parties.map((p) => p.id),
      (r) => r.createdAt.getTime(),
    );
    const visible = visibleRooms(actor, ordered);
    return {
      id: session.id,
      title: session.title,
      description: session.description,
      status: session.status,
      coolingOffSeconds: session.coolingOffSeconds,
      languages: [...session.languages],
      createdAt: session.createdAt.toISOString(),
      break: toBreakView(session.status, session.breakState),
      // Every participant knows who is at the table; only entitled rooms are listed.
      parties: parties.map((p) => ({ id: p.id, name: p.name, caucusRoomId: visible.find((r) => r.id === caucusOf.get(p.id))?.id ?? null })),
      rooms: visible.map(toRoomView),
      me: { ...toParticipantView(actor), roomId: actor.roomId },
    };
  }

  async participants(userId: string, sessionId: string): Promise<ParticipantView[]> {
    await this.roster.actor(this.uow.autocommit, sessionId, userId);
    const all = await this.roster.participants(this.uow.autocommit, sessionId);
    return all.map(toParticipantView);
  }

  /** The mediators' overview of every room and the lobby. */
  async overview(userId: string, sessionId: string): Promise<PresenceOverview> {
    const { actor } = await this.roster.actor(this.uow.autocommit, sessionId, userId);
    assertMediator(actor);
    // In the one room order: PresenceReader puts them in it, for this answer and every push alike.
    return this.presence.overview(sessionId);
  }

  /**
   * The trail as a mediator may read it: sealed entries (a message cooling off) as their commitment
   * only. The right to it and the entries are read on one snapshot: a mediator re-roled while the
   * read is under way is shown the trail as it stood while they were one, never what came after.
   */
  async auditTrail(
    userId: string,
    sessionId: string,
  ): Promise<{ entries: Array<AuditEntryView | SealedAuditEntryView>; verification: ChainVerdict }> {
    return this.uow.snapshot(async (tx) => {
      const { actor } = await this.roster.actor(tx, sessionId, userId);
      assertMediator(actor);
      return this.audit.readable(tx, sessionId);
    });
  }
}
