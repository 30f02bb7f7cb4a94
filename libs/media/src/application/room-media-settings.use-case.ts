import { Injectable } from '@nestjs/common';
import type { MediaRoomSettingsView } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { DomainError, UnitOfWork } from '@parley/platform';
import { SessionDirectory, assertMayConfigure, assertMayEnter } from '@parley/sessions';
import { MediaStore } from './media-store';

/** Mediators set a room's low-bandwidth mode (audio only) and bitrate cap; it applies from the next join. */
@Injectable()
export class RoomMediaSettingsUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly sessions: SessionDirectory,
    private readonly store: MediaStore,
    private readonly audit: AuditTrail,
  ) {}

  async read(cmd: { userId: string; sessionId: string; roomId: string }): Promise<MediaRoomSettingsView> {
    const tx = this.uow.autocommit;
    const { actor } = await this.sessions.actor(tx, cmd.sessionId, cmd.userId);
    const room = await this.sessions.room(tx, cmd.sessionId, cmd.roomId);
    if (!room) throw new DomainError('ROOM_NOT_FOUND', 'No such room.', 'roomId');
    assertMayEnter(actor, room);
    const s = await this.store.roomSettings(tx, cmd.roomId, cmd.sessionId);
    return { roomId: cmd.roomId, audioOnly: s?.audioOnly ?? false, bitrateKbps: s?.bitrateKbps ?? null };
  }

  async change(cmd: {
    userId: string;
    sessionId: string;
    roomId: string;
    audioOnly: boolean;
    bitrateKbps: number | null;
  }): Promise<MediaRoomSettingsView> {
    return this.uow.transaction(async (tx) => {
      const { session, actor } = await this.sessions.actor(tx, cmd.sessionId, cmd.userId, true);
      assertMayConfigure(actor, session.status);
      const room = await this.sessions.room(tx, session.id, cmd.roomId);
      if (!room) throw new DomainError('ROOM_NOT_FOUND', 'No such room.', 'roomId');
      await this.store.saveRoomSettings(tx, session.id, room.id, { audioOnly: cmd.audioOnly, bitrateKbps: cmd.bitrateKbps });
      await this.audit.append(tx, session.id, [
        {
          type: 'media.room_settings_changed',
          actorUserId: cmd.userId,
          actorParticipantId: actor.id,
          payload: { roomId: room.id, audioOnly: cmd.audioOnly, bitrateKbps: cmd.bitrateKbps },
        },
      ]);
      return { roomId: room.id, audioOnly: cmd.audioOnly, bitrateKbps: cmd.bitrateKbps };
    });
  }
}
