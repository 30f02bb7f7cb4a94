import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AgreementModule } from '@parley/agreement';
import { AuditModule } from '@parley/audit';
import { MediaModule } from '@parley/media';
import { AuthModule } from '@parley/auth';
import { APP_CONFIG, type AppConfig, type DatabaseHandle } from '@parley/platform';
import { SessionsModule } from '@parley/sessions';
import { ShuttleModule } from '@parley/shuttle';
import { DatabaseModule } from './database.providers';
import { HealthController } from './health/health.controller';

@Global()
@Module({})
class ConfigModule {
  static register(config: AppConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}

/** Wires the bounded contexts; each brings its own controllers, gateway and use cases. */
@Module({})
export class AppModule {
  static register(config: AppConfig, database: DatabaseHandle): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.register(config), DatabaseModule.register(database), AuthModule, AuditModule, SessionsModule, ShuttleModule, AgreementModule, MediaModule],
      controllers: [HealthController],
    };
  }
}
