import { Global, Module, OnApplicationShutdown, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DatabaseHandle } from '@parley/platform';

export const DATABASE_KIND = Symbol('DATABASE_KIND');
const DATABASE_HANDLE = Symbol('DATABASE_HANDLE');

class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(private readonly handle: DatabaseHandle) {}
  async onApplicationShutdown(): Promise<void> {
    await this.handle.close();
  }
}

/** Provides the already-opened (and migrated) DataSource to every context, and closes it last. */
@Global()
@Module({})
export class DatabaseModule {
  static register(handle: DatabaseHandle): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_HANDLE, useValue: handle },
        { provide: DataSource, useValue: handle.dataSource },
        { provide: DATABASE_KIND, useValue: handle.kind },
        { provide: DatabaseLifecycle, inject: [DATABASE_HANDLE], useFactory: (h: DatabaseHandle) => new DatabaseLifecycle(h) },
      ],
      exports: [DataSource, DATABASE_KIND],
    };
  }
}
