import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MediaRoomSettingsView } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { DomainError } from '@parley/platform';
import { assertMayConfigure, assertMayEnter, loadActor, loadRoom, toLocated } from '@parley/sessions';
import { MediaRoomSettingsEntity } from '../infrastructure/persistence/media-room-settings.entity';

/** Mediators set a room's low-bandwidth mode (audio only) and bitrate cap; it applies from the next join. */
@Injectable()
export class RoomMediaSettingsUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  async read(cmd: { userId: string; sessionId: string; roomId: string }): Promise<MediaRoomSettingsView> {
    const m = this.dataSource.manager;
    const { actor } = await loadActor(m, cmd.sessionId, cmd.userId);
    const room = await loadRoom(m, cmd.sessionId, cmd.roomId);
    if (!room) throw new DomainError('ROOM_NOT_FOUND', 'No such room.', 'roomId');
    assertMayEnter(toLocated(actor), room);
    const s = await m.getRepository(MediaRoomSettingsEntity).findOne({ where: { roomId: cmd.roomId, sessionId: cmd.sessionId } });
    return { roomId: cmd.roomId, audioOnly: s?.audioOnly ?? false, bitrateKbps: s?.bitrateKbps ?? null };
  }

  async change(cmd: {
    userId: string;
    sessionId: string;
    roomId: string;
    audioOnly: boolean;
    bitrateKbps: number | null;
  }): Promise<MediaRoomSettingsView> {
    return this.dataSource.transaction(async (m) => {
      const { session, actor } = await loadActor(m, cmd.sessionId, cmd.userId, true);
      assertMayConfigure(toLocated(actor), session.status);
      const room = await loadRoom(m, session.id, cmd.roomId);
      if (!room) throw new DomainError('ROOM_NOT_FOUND', 'No such room.', 'roomId');
      await m
        .getRepository(MediaRoomSettingsEntity)
        .save({ roomId: room.id, sessionId: session.id, audioOnly: cmd.audioOnly, bitrateKbps: cmd.bitrateKbps });
      await this.audit.append(m, session.id, [
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
