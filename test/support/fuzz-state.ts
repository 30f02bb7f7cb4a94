import type { DataSource } from 'typeorm';
import { ERROR_CODES, RETRYABLE_ERROR_CODES, type ErrorCode } from '@parley/contracts';
import { ERROR_STATUS } from '@parley/platform';

/**
 * What the fuzz suite checks of every answer, and the state a refused request must leave as it was.
 */

/**
 * A digest of every table of the schema (its rows, in a stable order), in one query: equal before
 * and after a request means the request changed no row. Tables are listed at run time, so a table
 * added later is covered without editing this. `migrations` is the schema's own bookkeeping.
 */
export async function fingerprint(db: DataSource): Promise<Record<string, string>> {
  const tables: Array<{ name: string }> = await db.query(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'migrations' ORDER BY table_name`,
  );
  if (!tables.length) return {};
  const digest = tables
    .map(({ name }) => `SELECT '${name}' AS name, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM "${name}" t`)
    .join(' UNION ALL ');
  const rows: Array<{ name: string; digest: string }> = await db.query(digest);
  return Object.fromEntries(rows.map((r) => [r.name, r.digest]));
}

/** Each session's audit head (its last seq), taken before a request: what it appended can then be named. */
export async function auditHeads(db: DataSource): Promise<Map<string, number>> {
  const rows: Array<{ session_id: string; seq: number }> = await db.query('SELECT session_id, seq FROM audit_heads');
  return new Map(rows.map((r) => [r.session_id, Number(r.seq)]));
}

/** The audit entries appended since `heads` (type, actor and payload keys), for a finding to name what changed. */
export async function auditSince(db: DataSource, heads: Map<string, number>): Promise<string> {
  const rows: Array<{ session_id: string; seq: number; type: string; actor_user_id: string | null; payload: object }> = await db.query(
    'SELECT session_id, seq, type, actor_user_id, payload FROM audit_entries ORDER BY session_id, seq',
  );
  return rows
    .filter((r) => Number(r.seq) > (heads.get(r.session_id) ?? 0))
    .map((r) => `${r.type} #${r.seq} by ${r.actor_user_id ?? 'the system'} ${JSON.stringify(r.payload).slice(0, 200)}`)
    .join('; ');
}

/** The tables whose digest differs. */
export const changedTables = (before: Record<string, string>, after: Record<string, string>): string[] =>
  [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((t) => before[t] !== after[t]);

/**
 * Refusals that change state by design, and what they may change: a refresh token presented a
 * second time ends its whole family (reuse detection), which is the refusal's purpose.
 */
export const DESIGNED_SIDE_EFFECTS: Partial<Record<ErrorCode, string[]>> = {
  REFRESH_TOKEN_REUSED: ['refresh_tokens'],
};

const KNOWN = new Set<string>(ERROR_CODES);
const HTTP_KEYS = new Set(['statusCode', 'code', 'message', 'field', 'details', 'retryable']);
const ACK_ERROR_KEYS = new Set(['code', 'message', 'field', 'details', 'retryable']);

/**
 * The only 5xx answers that are not a fault: a dependency named as away (product rule 8) — the
 * outages clients retry, and the mail transport, which like the SFU may be absent altogether.
 */
const DEPENDENCY_CODES = new Set<string>([...RETRYABLE_ERROR_CODES, 'MAIL_UNAVAILABLE']);

/** What is wrong with an HTTP answer (none: ''): a 5xx, INTERNAL, or an error not of the documented shape. */
export function httpProblem(status: number, body: unknown): string {
  if (status < 400) return '';
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return `error body is not an object: ${JSON.stringify(body)}`;
  const b = body as Record<string, unknown>;
  if (status >= 500 && !(status === 503 && DEPENDENCY_CODES.has(String(b.code)))) return `status ${status}`;
  if (b.code === 'INTERNAL') return 'code INTERNAL';
  if (typeof b.code !== 'string' || !KNOWN.has(b.code)) return `code ${JSON.stringify(b.code)} is not in ERROR_CODES`;
  if (b.statusCode !== status) return `statusCode ${JSON.stringify(b.statusCode)} ≠ HTTP status ${status}`;
  if (ERROR_STATUS[b.code as ErrorCode] !== status)
    return `${b.code} is documented as ${ERROR_STATUS[b.code as ErrorCode]}, answered ${status}`;
  if (typeof b.message !== 'string' || !b.message) return 'no message';
  if (b.field !== undefined && typeof b.field !== 'string') return `field ${JSON.stringify(b.field)} is not a string`;
  const extra = Object.keys(b).filter((k) => !HTTP_KEYS.has(k));
  if (extra.length) return `undocumented keys ${extra.join(', ')}`;
  return '';
}

/** What is wrong with an acknowledgement (none: ''): not `{ ok: true, data }` nor `{ ok: false, error }` of the documented shape. */
export function ackProblem(ack: unknown): string {
  if (ack === null || typeof ack !== 'object') return `ack is not an object: ${JSON.stringify(ack)}`;
  const a = ack as Record<string, unknown>;
  if (a.ok === true) return 'data' in a ? '' : 'ok without data';
  if (a.ok !== false) return `ok is ${JSON.stringify(a.ok)}`;
  const extraTop = Object.keys(a).filter((k) => k !== 'ok' && k !== 'error');
  if (extraTop.length) return `undocumented keys ${extraTop.join(', ')}`;
  const e = a.error as Record<string, unknown> | undefined;
  if (!e || typeof e !== 'object') return 'ok:false without error';
  if (e.code === 'INTERNAL') return 'code INTERNAL';
  if (typeof e.code !== 'string' || !KNOWN.has(e.code)) return `code ${JSON.stringify(e.code)} is not in ERROR_CODES`;
  if (typeof e.message !== 'string' || !e.message) return 'no message';
  if (e.field !== undefined && typeof e.field !== 'string') return `field ${JSON.stringify(e.field)} is not a string`;
  const extra = Object.keys(e).filter((k) => !ACK_ERROR_KEYS.has(k));
  if (extra.length) return `undocumented keys ${extra.join(', ')}`;
  return '';
}

/** Counts printed at the end: cases per operation or event, statuses (or codes) seen, refused, accepted. */
export class Tally {
  readonly perTarget = new Map<string, number>();
  readonly acceptedPerTarget = new Map<string, number>();
  readonly outcomes = new Map<string, number>();
  refused = 0;
  accepted = 0;
  rateLimited = 0;

  count(target: string, outcome: string, accepted: boolean): void {
    this.perTarget.set(target, (this.perTarget.get(target) ?? 0) + 1);
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
    if (accepted) this.acceptedPerTarget.set(target, (this.acceptedPerTarget.get(target) ?? 0) + 1);
    if (accepted) this.accepted++;
    else this.refused++;
    if (outcome.includes('RATE_LIMITED')) this.rateLimited++;
  }

  get total(): number {
    return this.accepted + this.refused;
  }

  report(title: string): string {
    const sorted = (m: Map<string, number>) =>
      [...m.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `  ${String(n).padStart(5)}  ${k}`)
        .join('\n');
    return [
      `${title}: ${this.total} cases, ${this.accepted} accepted, ${this.refused} refused (${this.rateLimited} RATE_LIMITED)`,
      'per target (cases, accepted):',
      [...this.perTarget.entries()]
        .map(([k, n]) => `  ${String(n).padStart(5)} ${String(this.acceptedPerTarget.get(k) ?? 0).padStart(4)}  ${k}`)
        .join('\n'),
      'outcomes:',
      sorted(this.outcomes),
    ].join('\n');
  }
}

/** One thing the suite found, with what it takes to send it again. */
export interface Finding {
  target: string;
  index: number;
  problem: string;
  request: string;
}
