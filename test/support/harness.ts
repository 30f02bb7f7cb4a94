import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import type { Ack, ApiError } from '@parley/contracts';
import { loadConfig, type Clock } from '@parley/platform';
import { createApp } from '../../apps/api/src/bootstrap';
import { GENEROUS_LIMITS } from './limits';

/**
 * E2E suites run against a real database: the PostgreSQL at TEST_DATABASE_URL (a fresh database
 * per suite, dropped afterwards) when set — CI does — otherwise the embedded PostgreSQL in memory.
 */
export interface TestApp {
  url: string;
  app: INestApplication;
  databaseUrl: string | null;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

/**
 * A server this test did not start in its own process (an ApiProcess, an instance behind a proxy),
 * as the helpers of people.ts take it: its URL and HTTP, nothing of Nest's.
 */
export const remoteApp = (url: string): TestApp => ({ url, http: () => request(url) }) as unknown as TestApp;

async function withAdmin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** A fresh database on the test PostgreSQL, or null when running on the embedded one. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  if (!process.env.TEST_DATABASE_URL) return null;
  const name = `parley_e2e_${randomBytes(6).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(process.env.TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** `clock`: a suite testing a rule about time passes a ManualClock and moves it, rather than sleeping. */
export async function startApp(
  env: Record<string, string> = {},
  database?: { url: string } | null,
  options: { clock?: Clock } = {},
): Promise<TestApp> {
  const db = database === undefined ? await freshDatabase() : null;
  const databaseUrl = database?.url ?? db?.url ?? null;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: 'memory://',
    JWT_SECRET: 'e2e-secret-e2e-secret-e2e-secret-e2e-secret',
    // No SFU unless a suite asks for one (the media suites start Janus themselves).
    JANUS_BINARY: 'none',
    ...GENEROUS_LIMITS,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...env,
  });
  const app = await createApp(config, { clock: options.clock });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    app,
    databaseUrl,
    http: () => request(url),
    close: async () => {
      await app.close();
      await db?.drop();
    },
  };
}

export interface Recorded {
  event: string;
  payload: any;
}

/** A real Socket.IO client that records every event it receives. */
export class TestClient {
  readonly events: Recorded[] = [];

  private constructor(readonly socket: Socket) {
    socket.onAny((event: string, payload: unknown) => this.events.push({ event, payload }));
  }

  static connect(url: string, token?: string): Promise<TestClient> {
    const socket = io(url, { transports: ['websocket'], auth: token ? { token } : {}, reconnection: false, forceNew: true });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(new TestClient(socket)));
      socket.once('connect_error', (e: Error & { data?: ApiError }) => reject(e));
    });
  }

  /** Emits and waits for the acknowledgement (5 s, or `timeoutMs` for a request that waits on purpose). */
  ask<T = any>(event: string, payload?: unknown, timeoutMs = 5000): Promise<Ack<T>> {
    return this.socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<Ack<T>>;
  }

  async join(sessionId: string) {
    const r = await this.ask('session.join', { sessionId });
    if (!r.ok) throw new Error(`join failed: ${r.error.code}`);
    return r.data;
  }

  /**
   * A round trip: anything the server emitted to this socket before it handled this request has
   * been received when it resolves (one connection delivers in order).
   */
  async sync(): Promise<void> {
    await this.ask('presence.get', {});
  }

  async waitFor(event: string, match: (payload: any) => boolean = () => true, timeoutMs = 5000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.find((e) => e.event === event && match(e.payload));
      if (hit) return hit.payload;
      if (Date.now() > deadline) throw new Error(`no ${event} within ${timeoutMs} ms; got ${this.events.map((e) => e.event).join(', ')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  clear(): void {
    this.events.length = 0;
  }

  /** Every received event whose payload mentions this id anywhere. */
  mentioning(id: string): Recorded[] {
    return this.events.filter((e) => JSON.stringify(e.payload).includes(id));
  }

  close(): void {
    this.socket.disconnect();
  }
}

export async function connectRejected(url: string, token?: string): Promise<ApiError> {
  try {
    const c = await TestClient.connect(url, token);
    c.close();
    throw new Error('connection was accepted');
  } catch (e) {
    const data = (e as { data?: ApiError }).data;
    if (!data) throw e;
    return data;
  }
}
