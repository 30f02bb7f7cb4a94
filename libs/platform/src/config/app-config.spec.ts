import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('runs with nothing set: embedded database, loopback, defaults', () => {
    const sut = loadConfig({});
    expect(sut).toMatchObject({ host: '127.0.0.1', port: 3000, databaseUrl: null, redisUrl: null, accessTokenTtlSeconds: 900 });
    expect(sut.publicUrl).toBe('http://localhost:3000');
  });

  it('reads every variable', () => {
    const sut = loadConfig({
      NODE_ENV: 'production',
      HOST: '0.0.0.0',
      PORT: '8080',
      PUBLIC_URL: 'https://parley.example.org/',
      DATABASE_URL: 'postgres://u@db:5432/parley',
      REDIS_URL: 'redis://cache:6379',
      JWT_SECRET: 'x'.repeat(40),
      JWT_ACCESS_TTL: '60',
      JWT_REFRESH_TTL: '3600',
      INVITATION_TTL: '120',
      BODY_LIMIT_BYTES: '2048',
      LOG_LEVEL: 'debug',
      DATA_DIR: 'memory://',
      JANUS_URL: 'ws://127.0.0.1:8188',
      JANUS_API_SECRET: 'api-secret',
      JANUS_ADMIN_KEY: 'admin-key',
      JANUS_CONFIG_DIR: '/etc/parley/janus',
      JANUS_BINARY: '/opt/janus/bin/janus',
      JANUS_ICE_INTERFACE: 'jlo0',
      MEDIA_BITRATE_KBPS: '256',
      WEB_DIR: '/srv/parley/web',
    });
    expect(sut).toMatchObject({
      nodeEnv: 'production',
      host: '0.0.0.0',
      port: 8080,
      publicUrl: 'https://parley.example.org',
      databaseUrl: 'postgres://u@db:5432/parley',
      redisUrl: 'redis://cache:6379',
      accessTokenTtlSeconds: 60,
      refreshTokenTtlSeconds: 3600,
      invitationTtlSeconds: 120,
      bodyLimitBytes: 2048,
      logLevel: 'debug',
      dataDir: 'memory://',
      janusUrl: 'ws://127.0.0.1:8188',
      janusApiSecret: 'api-secret',
      janusAdminKey: 'admin-key',
      janusConfigDir: '/etc/parley/janus',
      janusBinary: '/opt/janus/bin/janus',
      janusIceInterface: 'jlo0',
      mediaBitrateKbps: 256,
      webDir: '/srv/parley/web',
    });
  });

  it('reports every bad variable at once', () => {
    const sut = () =>
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        JWT_SECRET: 'short',
        LOG_LEVEL: 'loud',
        JANUS_URL: 'http://janus',
        MEDIA_BITRATE_KBPS: '1',
      });
    expect(sut).toThrow(ConfigError);
    expect(sut).toThrow(expect.objectContaining({ problems: expect.objectContaining({ length: 7 }) }) as ConfigError);
  });

  it('reads the mail transport: smtp:// or smtps:// with a sender, or none', () => {
    expect(loadConfig({})).toMatchObject({ smtpUrl: null, mailFrom: null });
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.org:465', MAIL_FROM: 'Parley <parley@example.org>' })).toMatchObject({
      smtpUrl: 'smtps://u:p@mail.example.org:465',
      mailFrom: 'Parley <parley@example.org>',
    });
    expect(() => loadConfig({ SMTP_URL: 'smtp://127.0.0.1:25' })).toThrow(/MAIL_FROM is required with SMTP_URL/);
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.org', MAIL_FROM: 'p@example.org' })).toThrow(
      /SMTP_URL must use smtp: or smtps:/,
    );
    expect(() => loadConfig({ SMTP_URL: 'smtp://127.0.0.1:25', MAIL_FROM: 'not an address' })).toThrow(/MAIL_FROM must be an address/);
    expect(() => loadConfig({ SMTP_URL: 'smtp://127.0.0.1:25', MAIL_FROM: 'Parley <p@example.org>\nBcc: x@evil.example' })).toThrow(
      /MAIL_FROM must be an address/,
    );
  });

  it('requires a JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required/);
  });

  describe('MEDIA_ROOM_IDLE_SECONDS', () => {
    it('defaults to 300 s when unset or empty', () => {
      expect(loadConfig({}).mediaRoomIdleSeconds).toBe(300);
      expect(loadConfig({ MEDIA_ROOM_IDLE_SECONDS: ' ' }).mediaRoomIdleSeconds).toBe(300);
    });

    it('takes whole seconds from 1 to 86400', () => {
      expect(loadConfig({ MEDIA_ROOM_IDLE_SECONDS: '1' }).mediaRoomIdleSeconds).toBe(1);
      expect(loadConfig({ MEDIA_ROOM_IDLE_SECONDS: '86400' }).mediaRoomIdleSeconds).toBe(86_400);
    });

    it.each(['0', '-5', '1.5', '86401', 'five', '1e3'])('refuses %s, naming the variable', (value) => {
      expect(() => loadConfig({ MEDIA_ROOM_IDLE_SECONDS: value })).toThrow(/MEDIA_ROOM_IDLE_SECONDS/);
    });
  });

  describe('DATABASE_POOL_IDLE_MS', () => {
    it('keeps idle pooled connections by default (0), and takes 0 to a day', () => {
      expect(loadConfig({}).databasePoolIdleMs).toBe(0);
      expect(loadConfig({ DATABASE_POOL_IDLE_MS: '30000' }).databasePoolIdleMs).toBe(30_000);
      expect(loadConfig({ DATABASE_POOL_IDLE_MS: '86400000' }).databasePoolIdleMs).toBe(86_400_000);
    });

    it.each(['-1', '1.5', '86400001', 'never'])('refuses %s, naming the variable', (value) => {
      expect(() => loadConfig({ DATABASE_POOL_IDLE_MS: value })).toThrow(/DATABASE_POOL_IDLE_MS/);
    });
  });

  describe('CHAT_COMMIT_WINDOW_MS, CHAT_COMMIT_MAX_BATCH and CHAT_COMMIT_CONCURRENCY', () => {
    it('waits 1 ms for company, one write at a time, on the embedded database; on PostgreSQL no wait; 256 posts at most', () => {
      expect(loadConfig({}).chatCommit).toEqual({ windowMs: 1, maxBatch: 256, concurrency: 1 });
      expect(loadConfig({ DATABASE_URL: 'postgres://db.internal/parley' }).chatCommit).toEqual({
        windowMs: 0,
        maxBatch: 256,
        concurrency: 1,
      });
    });

    it('takes what is set, in range', () => {
      expect(loadConfig({ CHAT_COMMIT_WINDOW_MS: '0', CHAT_COMMIT_MAX_BATCH: '1', CHAT_COMMIT_CONCURRENCY: '1' }).chatCommit).toEqual({
        windowMs: 0,
        maxBatch: 1,
        concurrency: 1,
      });
      expect(loadConfig({ CHAT_COMMIT_WINDOW_MS: '50', CHAT_COMMIT_MAX_BATCH: '1000', CHAT_COMMIT_CONCURRENCY: '64' }).chatCommit).toEqual({
        windowMs: 50,
        maxBatch: 1000,
        concurrency: 64,
      });
    });

    it.each([
      ['CHAT_COMMIT_WINDOW_MS', '51'],
      ['CHAT_COMMIT_WINDOW_MS', '-1'],
      ['CHAT_COMMIT_MAX_BATCH', '0'],
      ['CHAT_COMMIT_MAX_BATCH', 'many'],
      ['CHAT_COMMIT_CONCURRENCY', '0'],
      ['CHAT_COMMIT_CONCURRENCY', '65'],
    ])('refuses %s=%s, naming the variable', (name, value) => {
      expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
    });
  });
});
