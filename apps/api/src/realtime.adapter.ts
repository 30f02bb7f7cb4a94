import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig, DependencyMonitor } from '@parley/platform';

/**
 * Socket.IO with Parley's limits and, when REDIS_URL is set, the Redis adapter: room operations,
 * emits and fetchSockets then reach the sockets of every API instance.
 */
export class RealtimeAdapter extends IoAdapter {
  private redisAdapter: ReturnType<typeof createAdapter> | null = null;
  private clients: Redis[] = [];

  constructor(app: INestApplicationContext, private readonly config: AppConfig, private readonly dependencies: DependencyMonitor) {
    super(app);
  }

  async connectRedis(): Promise<void> {
    if (!this.config.redisUrl) return;
    const pub = new Redis(this.config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    this.clients = [pub, sub];
    this.redisAdapter = createAdapter(pub, sub, { key: 'parley' });
    Logger.log('Socket.IO fan-out through Redis', 'Realtime');
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server: Server = super.createIOServer(port, {
      ...options,
      maxHttpBufferSize: this.config.bodyLimitBytes,
      pingInterval: 10_000,
      pingTimeout: 10_000,
    });
    if (this.redisAdapter) server.adapter(this.redisAdapter);
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await Promise.all(this.clients.map((c) => c.quit().catch(() => undefined)));
  }
}
