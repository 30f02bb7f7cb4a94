import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AgreementModule } from '@parley/agreement';
import { AuditModule } from '@parley/audit';
import { ConsultationModule } from '@parley/consultation';
import { MediaModule } from '@parley/media';
import { AuthModule } from '@parley/auth';
import { APP_CONFIG, Clock, DependencyMonitor, RateLimits, type AppConfig, type DatabaseHandle } from '@parley/platform';
import { SessionsModule } from '@parley/sessions';
import { ShuttleModule } from '@parley/shuttle';
import { DatabaseModule } from './database.providers';
import { HealthModule } from './health/health.module';

@Global()
@Module({})
class ConfigModule {
  static register(config: AppConfig, dependencies: DependencyMonitor, clock: Clock): DynamicModule {
    const providers = [
      { provide: APP_CONFIG, useValue: config },
      { provide: DependencyMonitor, useValue: dependencies },
      { provide: Clock, useValue: clock },
      RateLimits,
    ];
    return { module: ConfigModule, providers, exports: [APP_CONFIG, DependencyMonitor, Clock, RateLimits] };
  }
}

/** Wires the bounded contexts; each brings its own controllers, gateway and use cases. */
@Module({})
export class AppModule {
  /**
   * `dependencies` is made before the module so that what lives outside it (the Socket.IO adapter)
   * reports to the same one; `clock` is the time token expiry and cooling-off read (a test's own).
   */
  static register(config: AppConfig, database: DatabaseHandle, dependencies: DependencyMonitor, clock: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.register(config, dependencies, clock),
        DatabaseModule.register(database),
        AuthModule,
        AuditModule,
        SessionsModule,
        ShuttleModule,
        AgreementModule,
        MediaModule,
        ConsultationModule,
        HealthModule,
      ],
    };
  }
}
