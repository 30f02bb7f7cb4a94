import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { RoomEntity } from '@parley/sessions/infrastructure/persistence';

/** A room's media settings, set by the mediators: audio only (low bandwidth) and a bitrate cap. */
@Entity('media_room_settings')
export class MediaRoomSettingsEntity {
  @PrimaryColumn('uuid', { name: 'room_id' })
  roomId: string;

  @OneToOne(() => RoomEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'room_id' })
  room?: RoomEntity;

  @Column('uuid', { name: 'session_id' })
  sessionId: string;

  @Column('boolean', { name: 'audio_only' })
  audioOnly: boolean;

  /** kbit/s; null = the platform's default (MEDIA_BITRATE_KBPS). */
  @Column('integer', { name: 'bitrate_kbps', nullable: true })
  bitrateKbps: number | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

export const MEDIA_ENTITIES = [MediaRoomSettingsEntity];
