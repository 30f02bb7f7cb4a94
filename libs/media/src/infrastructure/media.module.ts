import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AuditModule } from '@parley/audit';
import { AuthModule } from '@parley/auth';
import { APP_CONFIG, DependencyMonitor, type AppConfig } from '@parley/platform';
import { SessionsModule } from '@parley/sessions';
import { MEDIA_CLUSTER, SoloMediaCluster, type MediaCluster } from '../application/media-cluster';
import { MEDIA_ROOM_IDLE_MS } from '../application/media-room-idle';
import { MediaSessions } from '../application/media-sessions';
import { MediaStore } from '../application/media-store';
import { MEDIA_PORT, type MediaPort } from '../application/media.port';
import { RoomMediaSettingsUseCase } from '../application/room-media-settings.use-case';
import { MediaController } from './http/media.controller';
import { RedisMediaCluster } from './cluster/redis-media-cluster';
import { createMediaPort } from './media-port.factory';
import { MediaSocketRoutes } from './realtime/media.socket-routes';
import { TypeOrmMediaStore } from './typeorm-media-store';

@Module({
  imports: [AuthModule, AuditModule, SessionsModule],
  controllers: [MediaController],
  providers: [
    {
      provide: MEDIA_PORT,
      inject: [APP_CONFIG, { token: DependencyMonitor, optional: true }],
      useFactory: (config: AppConfig, dependencies?: DependencyMonitor) => createMediaPort(config, dependencies),
    },
    {
      // With Redis, the instances share media rooms (one owner each); without, this one owns all.
      provide: MEDIA_CLUSTER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Promise<MediaCluster> | MediaCluster =>
        config.redisUrl ? RedisMediaCluster.start(config.redisUrl) : new SoloMediaCluster(),
    },
    { provide: MEDIA_ROOM_IDLE_MS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => config.mediaRoomIdleSeconds * 1000 },
    { provide: MediaStore, useClass: TypeOrmMediaStore },
    MediaSessions,
    RoomMediaSettingsUseCase,
    MediaSocketRoutes,
  ],
  exports: [MediaSessions],
})
export class MediaModule implements OnApplicationShutdown {
  constructor(
    @Inject(MEDIA_PORT) private readonly port: MediaPort,
    @Inject(MEDIA_CLUSTER) private readonly cluster: MediaCluster,
  ) {}

  /**
   * Leaves the other instances first (they reset this one's rooms: their participants join again
   * elsewhere), then closes the SFU session (and stops a Janus that Parley started).
   */
  async onApplicationShutdown(): Promise<void> {
    await this.cluster.close();
    await this.port.shutdown();
  }
}
