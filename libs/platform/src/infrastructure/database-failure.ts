/**
 * Recognises "the database cannot be reached" among what pg, pg-pool and TypeORM throw, as opposed
 * to a query the database refused (a constraint, a syntax error: those are bugs or rules, not
 * outages). Returns the cause in one line for the log, or null when `e` is not an outage.
 *
 * Seen when PostgreSQL is gone or refuses: socket errors (ECONNREFUSED while it is stopped,
 * ECONNRESET / EPIPE when it dies under a query, host or network unreachable, DNS gone), pg's own
 * "Connection terminated …" (unexpectedly, or by the connection timeout), pg-pool's acquisition
 * timeout, a query that got no answer within query_timeout, a client left unusable by an earlier
 * connection error, and the server's own SQLSTATEs: class 08 (connection exception) and
 * 57P01/57P02/57P03 (administrator or crash shutdown, "the database system is starting up /
 * shutting down"). Errors nest: TypeORM's QueryFailedError keeps pg's in `driverError`, and Node
 * reports a refused dual-stack connect as an AggregateError with one error per address.
 */
export function databaseFailureCause(e: unknown): string | null {
  return causeOf(e, 0);
}

/** Socket-level codes meaning the server is not there (or no longer there). */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** SQLSTATEs of a server that is shutting down, crashed, or not accepting connections yet. */
const SHUTDOWN_STATES = new Set(['57P01', '57P02', '57P03']);

const MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /query read timeout/i,
  /connection error and is not queryable/i,
  /the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/i,
  /terminating connection due to administrator command/i,
];

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  errors?: unknown;
  cause?: unknown;
}

function causeOf(e: unknown, depth: number): string | null {
  if (!e || typeof e !== 'object' || depth > 3) return null;
  const err = e as ErrorLike;
  const code = typeof err.code === 'string' ? err.code : '';
  const message = typeof err.message === 'string' ? err.message : '';
  const line = (what: string) => oneLine(message.includes(what) || !message ? message || what : `${what}: ${message}`);
  if (SOCKET_CODES.has(code)) return line(code);
  if (/^08[0-9A-Z]{3}$/.test(code) || SHUTDOWN_STATES.has(code)) return line(`SQLSTATE ${code}`);
  if (MESSAGES.some((m) => m.test(message))) return oneLine(message);
  for (const inner of [err.driverError, err.cause, ...(Array.isArray(err.errors) ? (err.errors as unknown[]) : [])]) {
    const found = causeOf(inner, depth + 1);
    if (found) return found;
  }
  return null;
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim().slice(0, 300);
