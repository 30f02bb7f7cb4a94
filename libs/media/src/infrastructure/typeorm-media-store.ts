import { Injectable } from '@nestjs/common';
import type { SessionStatus } from '@parley/contracts';
import { managerOf, type Tx } from '@parley/platform';
import { MediaStore, type RoomMediaSettings } from '../application/media-store';
import { MediaRoomSettingsEntity } from './persistence/media-room-settings.entity';

/**
 * Media's table through TypeORM. A session's status is read from the sessions context's table by
 * name, in SQL: one schema, but its entity is that context's own.
 */
@Injectable()
export class TypeOrmMediaStore extends MediaStore {
  async roomSettings(tx: Tx, roomId: string, sessionId?: string): Promise<RoomMediaSettings | null> {
    const s = await managerOf(tx)
      .getRepository(MediaRoomSettingsEntity)
      .findOne({ where: { roomId, ...(sessionId !== undefined ? { sessionId } : {}) } });
    return s ? { audioOnly: s.audioOnly, bitrateKbps: s.bitrateKbps } : null;
  }

  async saveRoomSettings(tx: Tx, sessionId: string, roomId: string, settings: RoomMediaSettings): Promise<void> {
    await managerOf(tx)
      .getRepository(MediaRoomSettingsEntity)
      .save({ roomId, sessionId, audioOnly: settings.audioOnly, bitrateKbps: settings.bitrateKbps });
  }

  async sessionStatus(tx: Tx, sessionId: string): Promise<SessionStatus | null> {
    const [row] = await managerOf(tx).query<Array<{ status: SessionStatus }>>(`SELECT "status" FROM "mediation_sessions" WHERE "id" = $1`, [
      sessionId,
    ]);
    return row?.status ?? null;
  }
}
