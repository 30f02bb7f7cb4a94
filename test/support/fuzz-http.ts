import fc from 'fast-check';
import { hostileValue, idKindOf, payloadFor, type IdRef, type Mutation, type Resolve, type Schema, fromSchema } from './fuzz-values';

/** One operation of the OpenAPI document the app serves. */
export interface Operation {
  /** `POST /api/sessions/{sessionId}/status` */
  id: string;
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** The path template with its `{params}`. */
  path: string;
  pathParams: string[];
  query: Array<{ name: string; schema: Schema }>;
  body: Schema | null;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string; schema?: Schema }>; requestBody?: any }>>;
  components?: { schemas?: Record<string, Schema> };
}

/** Every operation of the document, and a resolver of its `$ref`s. */
export function operationsOf(doc: OpenApiDocument): { operations: Operation[]; resolve: Resolve } {
  const schemas = doc.components?.schemas ?? {};
  const resolve: Resolve = (s) => (s.$ref ? resolve(schemas[s.$ref.replace('#/components/schemas/', '')] ?? {}) : s);
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'patch', 'put', 'delete'].includes(method)) continue;
      const params = op.parameters ?? [];
      operations.push({
        id: `${method.toUpperCase()} ${path}`,
        method: method as Operation['method'],
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? { type: 'string' } })),
        body: (op.requestBody?.content?.['application/json']?.schema as Schema | undefined) ?? null,
      });
    }
  }
  return { operations, resolve };
}

/** Who sends a case: the roles of the mediation under test, and nobody (no token or a bad one). */
export const ROLES = ['lead', 'member', 'observer', 'outsider', 'none'] as const;
export type Role = (typeof ROLES)[number];
/** Insiders more often than not: their requests get past membership to the rest of the rules. */
export const ROLE_WEIGHTS: fc.Arbitrary<Role> = fc.oneof(
  { arbitrary: fc.constant<Role>('lead'), weight: 3 },
  { arbitrary: fc.constant<Role>('member'), weight: 3 },
  { arbitrary: fc.constant<Role>('observer'), weight: 2 },
  { arbitrary: fc.constant<Role>('outsider'), weight: 1 },
  { arbitrary: fc.constant<Role>('none'), weight: 1 },
);
/** With role `none`: what is in the Authorization header. */
export const NO_ROLE_AUTH = ['absent', 'empty-bearer', 'junk', 'basic', 'ghost', 'unsigned', 'refresh-as-access'] as const;
export type NoRoleAuth = (typeof NO_ROLE_AUTH)[number];

/** A path segment: a reference to a real object, or text already encoded for a URL. */
export type Segment = IdRef | { raw: string };

export type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown; mutation: Mutation }
  | { kind: 'raw'; text: string; contentType: string; encoding?: string };

export interface HttpCase {
  /** Usually the operation's own; one case in twenty another, which the route may not have. */
  method: Operation['method'];
  role: Role;
  auth: NoRoleAuth;
  params: Record<string, Segment>;
  /** name, value (already encoded) */
  query: Array<[string, string]>;
  body: Body;
}

/** Percent-encodes what encodeURIComponent can (a lone surrogate it cannot: that becomes its raw UTF-8 bytes, invalid). */
export function encode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return s.replace(/[\ud800-\udfff]/g, '%ED%A0%80').replace(/[^\w%-]/g, (c) => encodeURIComponent(c));
  }
}

/** Path segments that are not ids: empty, traversal, NUL, invalid UTF-8, overlong, huge, numbers. */
const junkSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'abc',
    '%00',
    '%ED%A0%80',
    '%E2%80%AE',
    '%C0%AF',
    '..',
    '%2e%2e',
    '%2F',
    '%',
    '%zz',
    'x'.repeat(3000),
    '-1',
    '0',
    '1e999',
    '2147483648',
    '%27%20OR%201%3D1',
    '00000000-0000-0000-0000-000000000000',
    'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
    '%7B6f1e6f1e-6f1e-4f1e-8f1e-6f1e6f1e6f1e%7D',
    'null',
    'undefined',
    '__proto__',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map(encode),
);

const ID_KINDS = [
  'sessionId',
  'participantId',
  'roomId',
  'invitationId',
  'messageId',
  'clauseId',
  'segmentId',
  'proposalId',
  'partyId',
  'token',
];

const segmentFor = (param: string): fc.Arbitrary<Segment> =>
  fc.oneof(
    { arbitrary: fc.nat(1000).map((n) => ({ $id: idKindOf(param) ?? param, n })), weight: 7 },
    { arbitrary: fc.tuple(fc.constantFrom(...ID_KINDS), fc.nat(1000)).map(([$id, n]) => ({ $id, n })), weight: 1 },
    { arbitrary: fc.uuid().map((raw) => ({ raw })), weight: 1 },
    { arbitrary: junkSegment.map((raw) => ({ raw })), weight: 2 },
  );

const scalarText = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));

const queryValue = (name: string, schema: Schema, resolve: Resolve): fc.Arbitrary<string[]> =>
  fc.oneof(
    {
      arbitrary: fromSchema(schema, name, resolve).map((v) => (Array.isArray(v) ? v : [v]).map((x) => encode(scalarText(x)))),
      weight: 12,
    },
    { arbitrary: hostileValue.map((v) => [encode(scalarText(v))]), weight: 2 },
    { arbitrary: fc.array(junkSegment, { minLength: 1, maxLength: 3 }), weight: 1 },
  );

/** Query parameters: the documented ones (each maybe absent, repeated or hostile) and sometimes one no route has. */
function queryFor(op: Operation, resolve: Resolve): fc.Arbitrary<Array<[string, string]>> {
  const documented = op.query.map((q) =>
    fc.option(
      queryValue(q.name, q.schema, resolve).map((values) => values.map((v) => [q.name, v] as [string, string])),
      { nil: [] as Array<[string, string]> },
    ),
  );
  // One case in five carries a parameter no route documents.
  const extra = fc.oneof(
    { arbitrary: fc.constant(null), weight: 4 },
    {
      arbitrary: fc.tuple(
        fc.constantFrom('__proto__', 'constructor', 'x%00', '%ED%A0%80', 'limit', 'status[]', 'a[b]', 'x'.repeat(2000)),
        junkSegment,
      ),
      weight: 1,
    },
  );
  return fc.tuple(fc.tuple(...documented), extra).map(([lists, more]) => [...lists.flat(), ...(more ? [more] : [])]);
}

/** Bodies the JSON parser or the content negotiation must refuse cleanly. */
const rawBody: fc.Arbitrary<Body> = fc.oneof(
  fc
    .constantFrom(
      '{',
      '{"a":',
      '',
      'null',
      '[]',
      '"text"',
      '1e999',
      '{"baseVersion":1e999,"level":"agreed"}',
      '{"minutes":-1e999,"status":"suspended"}',
      '\ufeff{}',
      '{"title":"\\ud800"}',
      '{"text":"a\\u0000b","clientMessageId":"x"}',
      '{"__proto__":{"isAdmin":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '['.repeat(5000),
      '{"a":'.repeat(5000),
      '{"status":"open","status":"closed"}',
      'nul\u0000',
      `{"x":"${'y'.repeat(70_000)}"}`,
      '{"title":12345678901234567890123456789}',
    )
    .map((text) => ({ kind: 'raw' as const, text, contentType: 'application/json' })),
  fc
    .tuple(
      fc.constantFrom('{"title":"T"}', 'title=T&parties=A', '--x\r\nContent-Disposition: form-data; name="t"\r\n\r\nT\r\n--x--'),
      fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=utf-16',
        'application/json; charset=klingon',
        'application/merge-patch+json',
        'application/xml',
      ),
    )
    .map(([text, contentType]) => ({ kind: 'raw' as const, text, contentType })),
  fc
    .constantFrom('gzip', 'deflate', 'br', 'x-klingon', 'identity, gzip')
    .map((encoding) => ({ kind: 'raw' as const, text: '{"title":"T"}', contentType: 'application/json', encoding })),
);

/** A request for an operation: who sends it, its path, query and body, valid-ish or hostile. */
export function httpCase(op: Operation, resolve: Resolve): fc.Arbitrary<HttpCase> {
  const params: Record<string, fc.Arbitrary<Segment>> = {};
  for (const p of op.pathParams) params[p] = segmentFor(p);
  const body: fc.Arbitrary<Body> = op.body
    ? fc.oneof(
        { arbitrary: payloadFor(op.body, resolve).map(({ value, mutation }) => ({ kind: 'json' as const, value, mutation })), weight: 9 },
        { arbitrary: rawBody, weight: 1 },
      )
    : fc.oneof(
        { arbitrary: fc.constant<Body>({ kind: 'none' }), weight: op.method === 'get' ? 18 : 8 },
        { arbitrary: hostileValue.map<Body>((value) => ({ kind: 'json', value, mutation: 'replaced-whole' })), weight: 1 },
        { arbitrary: rawBody, weight: 1 },
      );
  return fc.record({
    method: fc.oneof(
      { arbitrary: fc.constant(op.method), weight: 19 },
      { arbitrary: fc.constantFrom<Operation['method']>('get', 'post', 'patch', 'put', 'delete'), weight: 1 },
    ),
    role: ROLE_WEIGHTS,
    auth: fc.constantFrom(...NO_ROLE_AUTH),
    params: fc.record(params),
    query: queryFor(op, resolve),
    body,
  });
}

/** Whether a request may change state (so that a refused one is checked to have changed nothing). */
export const mutating = (method: Operation['method']) => method !== 'get';
