import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AuditModule } from '@parley/audit';
import { AuthModule } from '@parley/auth';
import { APP_CONFIG, DependencyMonitor, type AppConfig } from '@parley/platform';
import { SessionsModule } from '@parley/sessions';
import { MEDIA_ROOM_IDLE_MS } from '../application/media-room-idle';
import { MediaSessions } from '../application/media-sessions';
import { MEDIA_PORT, type MediaPort } from '../application/media.port';
import { RoomMediaSettingsUseCase } from '../application/room-media-settings.use-case';
import { MediaController } from './http/media.controller';
import { createMediaPort } from './media-port.factory';
import { MediaSocketRoutes } from './realtime/media.socket-routes';

@Module({
  imports: [AuthModule, AuditModule, SessionsModule],
  controllers: [MediaController],
  providers: [
    {
      provide: MEDIA_PORT,
      inject: [APP_CONFIG, { token: DependencyMonitor, optional: true }],
      useFactory: (config: AppConfig, dependencies?: DependencyMonitor) => createMediaPort(config, dependencies),
    },
    { provide: MEDIA_ROOM_IDLE_MS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => config.mediaRoomIdleSeconds * 1000 },
    MediaSessions,
    RoomMediaSettingsUseCase,
    MediaSocketRoutes,
  ],
  exports: [MediaSessions],
})
export class MediaModule implements OnApplicationShutdown {
  constructor(@Inject(MEDIA_PORT) private readonly port: MediaPort) {}

  /** Closes the SFU session (and stops a Janus that Parley started). */
  async onApplicationShutdown(): Promise<void> {
    await this.port.shutdown();
  }
}
