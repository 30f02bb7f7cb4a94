import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

/**
 * Everything Parley reads from its environment, validated once at boot. Nothing else in the code
 * base reads `process.env` (a Janus that Parley starts inherits the environment, unread). Every
 * variable of Parley's own is documented in the README.
 */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** Base URL people use to reach Parley: invitation links are built on it. */
  publicUrl: string;
  /**
   * Browser origins besides PUBLIC_URL's that may call the API and open sockets (ALLOWED_ORIGINS);
   * see OriginPolicy. A request with no Origin (not a browser) is not concerned.
   */
  allowedOrigins: string[];
  /** Where the embedded database and generated secrets live. `memory://` keeps nothing. */
  dataDir: string;
  /** PostgreSQL connection string; null = the embedded PostgreSQL (PGlite) under dataDir. */
  databaseUrl: string | null;
  /** Connections to DATABASE_URL (the embedded database has one). */
  databasePoolSize: number;
  /**
   * How long a pooled connection may sit idle before it is closed, ms; 0 keeps it. Closing is not
   * free: the connections a burst opened go idle together and close together, and closing 17 took
   * the event loop 58–127 ms on the 2-core machine measured (README, benchmark).
   */
  databasePoolIdleMs: number;
  redisUrl: string | null;
  jwtSecret: string | null;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  invitationTtlSeconds: number;
  bodyLimitBytes: number;
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  /**
   * Which SFU carries media: 'auto' (the default) takes mediasoup when its worker can be had, else
   * Janus (JANUS_URL, or a janus binary here), else none; 'none' runs without media, saying so.
   */
  mediaSfu: 'auto' | 'mediasoup' | 'janus' | 'none';
  /** mediasoup: how many workers (one per core by default), each a process of its own. */
  mediasoupWorkers: number;
  /** mediasoup: the address its WebRTC transports listen on, and the one announced to browsers (null: the same). */
  mediasoupListenIp: string;
  mediasoupAnnouncedAddress: string | null;
  /** mediasoup: the UDP/TCP port range of its WebRTC transports. */
  mediasoupMinPort: number;
  mediasoupMaxPort: number;
  /** A running Janus (WebSocket API) to use; null = start one (see janusBinary) or run without media. */
  janusUrl: string | null;
  /** With janusUrl: that Janus' API secret (if it has one) and its VideoRoom admin_key. */
  janusApiSecret: string | null;
  janusAdminKey: string | null;
  /** The Janus configuration folder used when Parley starts Janus itself. */
  janusConfigDir: string;
  /** The Janus executable to start on loopback when janusUrl is unset; null = look for `janus` (searchPath); 'none' = never start one. */
  janusBinary: string | null;
  /** The PATH Parley was started with: where `janus` is looked for when JANUS_BINARY is unset. */
  searchPath: string;
  /** The only network interface the started Janus gathers ICE candidates on (null: Janus' own choice). */
  janusIceInterface: string | null;
  /** Default upper bound of each publisher's bitrate, kbit/s. */
  mediaBitrateKbps: number;
  /**
   * How long a media room may stay without any seat before its SFU room is released: one who steps
   * out and back in within it finds the room as it was; a room nobody uses holds nothing for longer.
   */
  mediaRoomIdleSeconds: number;
  /**
   * Group commit of chat posts (their reads and their writes): how long a post waits for others to
   * share its statement (0: only while one is already under way), the most one carries, and how many
   * such statements may be under way at once.
   */
  chatCommit: { windowMs: number; maxBatch: number; concurrency: number };
  /** The built web client (`npm run build:web`), served at `/`; a missing folder serves the API only. */
  webDir: string;
  /**
   * Every socket event but auth.renew spends one point of its socket's budget (in memory: a bucket
   * of `burst` points refilled at `perSecond`) and of its account's (`accountPerMinute`, across
   * instances through Redis when set), both before any database work. A socket refused
   * `floodRefusals` times without a pause is disconnected (0: never). A socket's requests run at
   * most `concurrent` at a time, at most `waiting` others in order after them (more are refused).
   */
  socketBudget: {
    burst: number;
    perSecond: number;
    accountPerMinute: number;
    floodRefusals: number;
    concurrent: number;
    waiting: number;
  };
  /** What one account may hold; past it, QUOTA_EXCEEDED with `details: { quota, limit }`. */
  quotas: Quotas;
  /** The SMTP server that sends address-confirmation mail (smtp:// or smtps://); null = no mail (see README). */
  smtpUrl: string | null;
  /** The sender of that mail (`Name <address>` or an address); set whenever smtpUrl is. */
  mailFrom: string | null;
  /** Express `trust proxy`: whose X-Forwarded-For names the client (false: the connection's own address). */
  trustProxy: boolean | number | string;
  /** The limits on the doors anyone can knock at (see RateLimits); each is points per window. */
  rateLimits: {
    /** Failed sign-ins per account (normalised e-mail), then a lockout. */
    signInAccount: RateLimit;
    /** Failed sign-ins per client address, whatever the accounts. */
    signInAddress: RateLimit;
    /** The first lockout's length; each further one within a day doubles it, up to signInBlockMaxSeconds. */
    signInBlockSeconds: number;
    signInBlockMaxSeconds: number;
    /** Registrations per client address. */
    registerAddress: RateLimit;
    /** Invitation previews and accepts per client address, and per invitation link. */
    invitationAddress: RateLimit;
    invitationToken: RateLimit;
    /** Every request of a consultation's respondent page per client address (counted in memory or Redis, never stored). */
    consultationAddress: RateLimit;
    /** New respondents per group link. */
    consultationLink: RateLimit;
    /** Requests per respondent (return code). */
    consultationRespondent: RateLimit;
    /** Statements per respondent in a window (the cap per consultation is apart). */
    consultationStatements: RateLimit;
  };
}

/** At most `points` in any `seconds`. */
export interface RateLimit {
  points: number;
  seconds: number;
}

/** Per-account quotas (see AppConfig.quotas). */
export interface Quotas {
  /** Sessions an account has created that are not closed. */
  sessionsPerAccount: number;
  invitationsPerSession: number;
  partiesPerSession: number;
  /** Sockets an account holds open on one API instance. */
  socketsPerAccount: number;
  /** Bytes a live draft's stored Yjs updates may take. */
  draftBytes: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const str = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    // Digits only: "1e3", "0x10" or "1.0" are not what an operator means by a count.
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  };
  const limit = (name: string, fallback: RateLimit): RateLimit => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    const m = /^(\d{1,7})\/(\d{1,7})$/.exec(raw);
    const points = Number(m?.[1]);
    const seconds = Number(m?.[2]);
    if (!m || points < 1 || points > 1_000_000 || seconds < 1 || seconds > 7 * 86_400) {
      problems.push(`${name} must be <points>/<seconds>, from 1 to 1000000 points in 1 to 604800 seconds (got "${raw}")`);
      return fallback;
    }
    return { points, seconds };
  };
  const trust = (name: string): boolean | number | string => {
    const raw = str(name);
    if (raw === undefined || raw === 'false') return false;
    if (raw === 'true') return true;
    if (/^\d{1,2}$/.test(raw)) return Number(raw);
    // Express' own forms: loopback, linklocal, uniquelocal, addresses and subnets, comma-separated.
    if (/^[\w.:/]+(\s*,\s*[\w.:/]+)*$/.test(raw)) return raw;
    problems.push(`${name} must be false, true, a number of proxies, or addresses/subnets/loopback separated by commas (got "${raw}")`);
    return false;
  };
  const url = (name: string, protocols: string[]): string | null => {
    const raw = str(name);
    if (raw === undefined) return null;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) problems.push(`${name} must use ${protocols.join(' or ')}`);
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return raw;
  };

  const nodeEnv = oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const host = str('HOST') ?? '127.0.0.1';
  const port = int('PORT', 3000, 0, 65535);
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const redisUrl = url('REDIS_URL', ['redis:', 'rediss:']);
  const jwtSecret = str('JWT_SECRET') ?? null;
  if (jwtSecret !== null && jwtSecret.length < 32) problems.push('JWT_SECRET must be at least 32 characters');
  if (jwtSecret === null && nodeEnv === 'production') problems.push('JWT_SECRET is required when NODE_ENV=production');
  const rawDataDir = str('DATA_DIR') ?? './data';
  const publicUrl = url('PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`;
  const allowedOrigins: string[] = [];
  for (const raw of (str('ALLOWED_ORIGINS') ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)) {
    // An origin is scheme://host[:port] and nothing more: a path or a wildcard is a mistake, not a pattern.
    let u: URL | null = null;
    try {
      u = new URL(raw);
    } catch {
      // reported below
    }
    if (
      !u ||
      !['http:', 'https:'].includes(u.protocol) ||
      u.origin !== raw.replace(/\/$/, '') ||
      raw.includes('*') ||
      allowedOrigins.length >= 50
    ) {
      problems.push(`ALLOWED_ORIGINS must be up to 50 origins (scheme://host[:port]) separated by commas (got "${raw}")`);
    } else allowedOrigins.push(u.origin);
  }

  const smtpUrl = url('SMTP_URL', ['smtp:', 'smtps:']);
  const mailFrom = str('MAIL_FROM') ?? null;
  if (smtpUrl && !mailFrom) problems.push('MAIL_FROM is required with SMTP_URL (the sender of the confirmation mail)');
  if (mailFrom !== null && (mailFrom.length > 254 || !/^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/.test(mailFrom)))
    problems.push(`MAIL_FROM must be an address or "Name <address>", at most 254 characters (got "${mailFrom}")`);
  const mediasoupMinPort = int('MEDIASOUP_MIN_PORT', 40_000, 1_024, 65_535);
  const mediasoupMaxPort = int('MEDIASOUP_MAX_PORT', 49_999, 1_024, 65_535);
  if (mediasoupMinPort > mediasoupMaxPort) problems.push('MEDIASOUP_MIN_PORT must not be above MEDIASOUP_MAX_PORT');
  if (str('JANUS_URL') && !str('JANUS_ADMIN_KEY'))
    problems.push('JANUS_ADMIN_KEY is required with JANUS_URL (the VideoRoom admin_key of that Janus)');
  const config: AppConfig = {
    nodeEnv,
    host,
    port,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    allowedOrigins,
    dataDir: rawDataDir === 'memory://' ? rawDataDir : resolve(rawDataDir),
    databaseUrl,
    databasePoolSize: int('DATABASE_POOL_SIZE', 20, 1, 500),
    databasePoolIdleMs: int('DATABASE_POOL_IDLE_MS', 0, 0, 86_400_000),
    redisUrl,
    jwtSecret,
    accessTokenTtlSeconds: int('JWT_ACCESS_TTL', 900, 10, 86_400),
    refreshTokenTtlSeconds: int('JWT_REFRESH_TTL', 30 * 86_400, 60, 365 * 86_400),
    invitationTtlSeconds: int('INVITATION_TTL', 7 * 86_400, 60, 90 * 86_400),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 64 * 1024, 1024, 10 * 1024 * 1024),
    logLevel: oneOf('LOG_LEVEL', ['error', 'warn', 'log', 'debug', 'verbose'] as const, nodeEnv === 'test' ? 'warn' : 'log'),
    mediaSfu: oneOf('MEDIA_SFU', ['auto', 'mediasoup', 'janus', 'none'] as const, 'auto'),
    mediasoupWorkers: int('MEDIASOUP_WORKERS', Math.max(1, availableParallelism()), 1, 256),
    mediasoupListenIp: str('MEDIASOUP_LISTEN_IP') ?? '127.0.0.1',
    mediasoupAnnouncedAddress: str('MEDIASOUP_ANNOUNCED_ADDRESS') ?? null,
    mediasoupMinPort,
    mediasoupMaxPort,
    janusUrl: url('JANUS_URL', ['ws:', 'wss:']),
    janusApiSecret: str('JANUS_API_SECRET') ?? null,
    janusAdminKey: str('JANUS_ADMIN_KEY') ?? null,
    janusConfigDir: resolve(str('JANUS_CONFIG_DIR') ?? 'infra/janus'),
    janusBinary: str('JANUS_BINARY') ?? null,
    searchPath: env.PATH ?? '',
    janusIceInterface: str('JANUS_ICE_INTERFACE') ?? null,
    mediaBitrateKbps: int('MEDIA_BITRATE_KBPS', 512, 32, 10_000),
    mediaRoomIdleSeconds: int('MEDIA_ROOM_IDLE_SECONDS', 300, 1, 86_400),
    // The embedded database runs one statement at a time on its own thread: there a short window
    // gathers the posts of the same moment. 1 ms measured best at 1,000 msg/s (2026-12-05,
    // alternating runs: p95 28.3–42.7 ms, p50 4.5–5.6, against 37.2–53.1 and 8.7–10.9 with the
    // 4 ms of before; README, benchmarks); PostgreSQL runs statements side by side and is best
    // without a wait.
    chatCommit: {
      windowMs: int('CHAT_COMMIT_WINDOW_MS', databaseUrl ? 0 : 1, 0, 50),
      // A batch holds what queued while the one before was written, up to this many: with one
      // write at a time the cap bounds the throughput (cap ÷ write time), and at 64 a queue formed
      // at 2,000 msg/s on PostgreSQL (after a pause of the loop) never drained, p50 807 ms; at 256
      // it did, p50 43 ms (README, benchmarks). Below saturation batches are smaller than either.
      maxBatch: int('CHAT_COMMIT_MAX_BATCH', 256, 1, 1_000),
      // One at a time by default on both: on PostgreSQL, 4 at once measured worse at 1,000 msg/s
      // (p50 23.6 ms, p95 86.8 ms against 9.0 and 51.9 ms; README, benchmarks): smaller batches,
      // more commits, each waiting on the disk.
      concurrency: int('CHAT_COMMIT_CONCURRENCY', 1, 1, 64),
    },
    webDir: resolve(str('WEB_DIR') ?? 'dist/web'),
    socketBudget: {
      burst: int('SOCKET_BUDGET_BURST', 600, 1, 1_000_000),
      perSecond: int('SOCKET_BUDGET_PER_SECOND', 50, 1, 1_000_000),
      accountPerMinute: int('SOCKET_BUDGET_ACCOUNT_PER_MINUTE', 2_400, 1, 100_000_000),
      floodRefusals: int('SOCKET_FLOOD_REFUSALS', 100, 0, 1_000_000),
      concurrent: int('SOCKET_CONCURRENT_REQUESTS', 4, 1, 1_000),
      waiting: int('SOCKET_WAITING_REQUESTS', 100, 1, 100_000),
    },
    quotas: {
      sessionsPerAccount: int('QUOTA_SESSIONS_PER_ACCOUNT', 200, 1, 1_000_000),
      invitationsPerSession: int('QUOTA_INVITATIONS_PER_SESSION', 500, 1, 1_000_000),
      partiesPerSession: int('QUOTA_PARTIES_PER_SESSION', 50, 1, 10_000),
      socketsPerAccount: int('QUOTA_SOCKETS_PER_ACCOUNT', 20, 1, 1_000_000),
      draftBytes: int('QUOTA_DRAFT_BYTES', 2 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    },
    smtpUrl,
    mailFrom,
    trustProxy: trust('TRUST_PROXY'),
    rateLimits: {
      signInAccount: limit('RATE_LIMIT_SIGN_IN_ACCOUNT', { points: 10, seconds: 60 }),
      signInAddress: limit('RATE_LIMIT_SIGN_IN_ADDRESS', { points: 100, seconds: 3_600 }),
      signInBlockSeconds: int('SIGN_IN_BLOCK_SECONDS', 60, 1, 86_400),
      signInBlockMaxSeconds: int('SIGN_IN_BLOCK_MAX_SECONDS', 3_600, 1, 7 * 86_400),
      registerAddress: limit('RATE_LIMIT_REGISTER_ADDRESS', { points: 20, seconds: 3_600 }),
      invitationAddress: limit('RATE_LIMIT_INVITATION_ADDRESS', { points: 60, seconds: 60 }),
      invitationToken: limit('RATE_LIMIT_INVITATION_TOKEN', { points: 20, seconds: 60 }),
      consultationAddress: limit('RATE_LIMIT_CONSULTATION_ADDRESS', { points: 300, seconds: 60 }),
      consultationLink: limit('RATE_LIMIT_CONSULTATION_LINK', { points: 300, seconds: 60 }),
      consultationRespondent: limit('RATE_LIMIT_CONSULTATION_RESPONDENT', { points: 120, seconds: 60 }),
      consultationStatements: limit('RATE_LIMIT_CONSULTATION_STATEMENTS', { points: 3, seconds: 60 }),
    },
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** The injection token for the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');
