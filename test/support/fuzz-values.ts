import fc from 'fast-check';

/**
 * Values for the fuzz suite: "valid-ish" ones generated from a JSON schema (the OpenAPI document's,
 * or the socket contract's written in the same form) and hostile ones (wrong types, null, arrays
 * for objects, deep nesting, huge numbers, NUL, lone surrogates, prototype keys, very long strings,
 * direction overrides). Ids are not generated as values but as references (`{ $ref: 'roomId', n }`)
 * resolved when the case is sent, so that one seed gives the same cases whatever ids a run created.
 */

/** A JSON schema as far as the OpenAPI document and the socket table use it. */
export interface Schema {
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  enum?: readonly unknown[];
  properties?: Record<string, Schema>;
  required?: readonly string[];
  items?: Schema;
  $ref?: string;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  /** Socket table only: raw bytes (a y-protocols message). */
  binary?: true;
}

/** A reference to a real object of the run, resolved at send time (`n` picks among those known). */
export interface IdRef {
  readonly $id: string;
  readonly n: number;
}
export const isIdRef = (v: unknown): v is IdRef => typeof v === 'object' && v !== null && '$id' in v && 'n' in v;

/** The kind of object a field or parameter names, by its name (`roomId`, `memberIds`, `counterTo` …). */
export function idKindOf(name: string): string | null {
  if (name === 'memberIds') return 'participantId';
  if (name === 'supportedBy') return 'partyId';
  if (name === 'counterTo') return 'proposalId';
  if (name === 'afterClauseId') return 'clauseId';
  if (name === 'feedIds') return 'feedId';
  if (name === 'token' || name === 'refreshToken' || name === 'sha256' || name === 'email') return name;
  if (name === 'clientMessageId' || name === 'clientProposalId') return null;
  // conveyToPartyId → partyId: the kind is the last word before Id.
  const kind = /([A-Z]?[a-z]+)Id$/.exec(name)?.[1];
  return kind ? `${kind[0].toLowerCase()}${kind.slice(1)}Id` : null;
}

const idRef = (kind: string): fc.Arbitrary<IdRef> => fc.nat(1000).map((n) => ({ $id: kind, n }));

/** Own keys only: `{ __proto__: x }` as a literal would set the prototype, not send a key. */
export function withKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...target };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

/** `depth` levels of nesting around `inner`, alternating arrays and objects. */
export function nest(depth: number, inner: unknown = 1): unknown {
  let v = inner;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

const LONG = [1_000, 10_000, 70_000, 300_000];

/** Strings that have broken or tricked servers: controls, surrogates, overrides, markup, injections. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '          ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udc00y',
    '\ud83d',
    '\u202eevil\u202c',
    '\u2066\u2067\u2068\u2069',
    '\u200b\u200c\u200d\ufeff',
    '\u00ad',
    '\r\n\t\u0007\u001b[31m',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    '"; DROP TABLE users; --',
    '{{1}}',
    '{{999999999999}}',
    '{{',
    '../../etc/passwd',
    '%00',
    '%ED%A0%80',
    '${process.exit()}',
    '__proto__',
    'constructor',
    'NaN',
    'Infinity',
    '-0',
    '1e309',
    '2147483648',
    'null',
    'true',
    '[]',
    '{}',
    'اتفاق 😀 agreement',
    '\u0301\u0301\u0301',
    'ﷺ'.repeat(50),
    '00000000-0000-0000-0000-000000000000',
    'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  ),
  fc.constantFrom(...LONG).chain((n) => fc.constantFrom('x'.repeat(n), '😀'.repeat(n / 2), '\u202e'.repeat(n), 'ا'.repeat(n))),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

/** Numbers at and past every bound a column or a validator has. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 2 ** 53 + 2, 1e308, -1e308, 5e-324, 3600, 3601, 480, 481),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Prototype-chain keys, controls in keys, and keys no DTO has. */
export const hostileKey: fc.Arbitrary<string> = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'k\u0000',
  '\ud800',
  '',
  'x'.repeat(5000),
  '$where',
  'toString',
  'hasOwnProperty',
  'colour',
);

/** Any hostile value: a scalar, an array, an object, deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    hostileNumber,
    hostileString,
    fc.constantFrom([], [null], [[]], {}, [{}]),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.tuple(hostileKey, tie('v')).map(([k, v]) => withKey({}, k, v)),
    fc.constantFrom(31, 32, 33, 200, 1000).map((d) => nest(d)),
  ),
})).v;

/** A realistic piece of text of at most `max` characters (sometimes just over it). */
const text = (max: number | undefined): fc.Arbitrary<string> => {
  const cap = max ?? 60;
  return fc.oneof(
    { arbitrary: fc.constantFrom('Harbour', 'The border runs along the river.', 'وقف إطلاق النار', 'Cessez-le-feu', 'x'), weight: 3 },
    { arbitrary: fc.string({ minLength: 1, maxLength: Math.min(cap, 60) }), weight: 3 },
    { arbitrary: fc.constant('y'.repeat(cap + 1)), weight: 1 },
    { arbitrary: fc.constantFrom('Harbour', 'وقف إطلاق النار'), weight: 9 },
  );
};

/**
 * Valid shapes of DTOs whose rules hang on one field (a change's kind decides which others it
 * takes), which the document cannot say: without them, almost every generated change is refused
 * by validation and the use cases behind it are never reached.
 */
const EXEMPLARS: Record<string, () => fc.Arbitrary<unknown>> = {
  InviteDto: () =>
    fc.oneof(
      fc.record(
        { role: fc.constantFrom('co_mediator', 'observer'), email: fc.option(idRef('email'), { nil: undefined }) },
        { requiredKeys: ['role'] },
      ),
      fc.record({ role: fc.constant('party_member'), partyId: idRef('partyId'), isHead: fc.boolean() }),
    ),
  ChangeDto: () => {
    const clause = { clauseId: idRef('clauseId'), baseVersion: fc.integer({ min: 1, max: 4 }) };
    const wording = fc.oneof(
      fc.record({ text: text(200) }),
      fc.constant({ text: 'Within {{1}} days', segments: [{ options: [{ text: '30' }, { text: '60' }] }] }),
    );
    return fc.oneof(
      fc.record({
        kind: fc.constant('insert'),
        afterClauseId: fc.option(idRef('clauseId'), { nil: null }),
        heading: fc.option(text(200), { nil: null }),
        wording,
      }),
      fc.record({ kind: fc.constant('replace'), ...clause, wording }),
      fc.record({ kind: fc.constant('delete'), ...clause }),
      fc.record({ kind: fc.constant('add_option'), ...clause, segmentId: idRef('segmentId'), text: text(200) }),
      fc.record({
        kind: fc.constant('resolve_option'),
        ...clause,
        segmentId: idRef('segmentId'),
        optionId: fc.constantFrom('A', 'B', 'C'),
      }),
    );
  },
};

/** Resolves `$ref`s against the document's components. */
export type Resolve = (schema: Schema) => Schema;

/** A value the schema describes (mostly valid; ids are references to real objects or random). */
export function fromSchema(schema: Schema, name: string, resolve: Resolve, depth = 0): fc.Arbitrary<unknown> {
  const exemplar = schema.$ref ? EXEMPLARS[schema.$ref.replace('#/components/schemas/', '')] : undefined;
  if (exemplar)
    return fc.oneof({ arbitrary: exemplar(), weight: 2 }, { arbitrary: fromSchema(resolve(schema), name, resolve, depth), weight: 1 });
  const s = resolve(schema);
  const kind = idKindOf(name);
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.binary) return fc.uint8Array({ maxLength: 64 });
  if (s.type === 'object' && s.nullable && !s.properties) {
    // afterClauseId, heading, bitrateKbps: the document types them loosely.
    const value = kind
      ? idRef(kind)
      : s.minimum !== undefined
        ? fc.integer({ min: s.minimum, max: s.maximum ?? s.minimum + 1_000 })
        : text(s.maxLength);
    return fc.oneof(fc.constant(null), value, value);
  }
  // Fields whose rules the document does not spell out.
  if (name === 'clientMessageId' || name === 'clientProposalId')
    return fc.oneof({ arbitrary: fc.uuid(), weight: 5 }, { arbitrary: text(64), weight: 1 });
  // The real password one time in four: it signs in, and it deletes accounts (the arena rebuilds then).
  if (name === 'password')
    return fc.oneof({ arbitrary: fc.constant('correct horse battery staple'), weight: 1 }, { arbitrary: text(200), weight: 3 });
  if (name === 'email') return fc.oneof(idRef('email'), fc.emailAddress());
  if (kind && (s.type === 'string' || !s.type)) return fc.oneof({ arbitrary: idRef(kind), weight: 4 }, { arbitrary: fc.uuid(), weight: 1 });
  switch (s.type) {
    case 'string':
      return text(s.maxLength);
    case 'number':
    case 'integer': {
      // Unbounded in the document: versions and sequence numbers are small positive integers here.
      const small = /^(baseVersion|from|to)$|Seq$/.test(name);
      const min = s.minimum ?? (small || name === 'limit' ? 1 : 0);
      const max = s.maximum ?? (small ? 6 : name === 'limit' ? 100 : 1_000);
      return fc.oneof(
        { arbitrary: fc.integer({ min, max }), weight: 4 },
        { arbitrary: fc.constantFrom(min, max, min - 1, max + 1), weight: 1 },
      );
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(fromSchema(s.items ?? {}, kind ? name : `${name}[]`, resolve, depth + 1), { maxLength: depth > 2 ? 2 : 4 });
    case 'object':
    case undefined: {
      if (!s.properties) return fc.constant({});
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, prop] of Object.entries(s.properties)) shape[key] = fromSchema(prop, key, resolve, depth + 1);
      return fc.record(shape, { requiredKeys: [...(s.required ?? [])] as never[] });
    }
  }
}

/** Every path to a value inside a (JSON-like) value, the empty path being the value itself. */
function paths(value: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  out.push(prefix);
  if (value !== null && typeof value === 'object' && !isIdRef(value) && !ArrayBuffer.isView(value) && prefix.length < 8) {
    for (const k of Object.keys(value)) paths((value as Record<string, unknown>)[k], [...prefix, k], out);
  }
  return out;
}

function replaceAt(value: unknown, path: string[], replacement: unknown): unknown {
  if (!path.length) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy: unknown[] = [...value];
    copy[Number(head)] = replaceAt(copy[Number(head)], rest, replacement);
    return copy;
  }
  const object = value as Record<string, unknown>;
  return withKey(object, head, replaceAt(object[head], rest, replacement));
}

function addKeyAt(value: unknown, path: string[], key: string, extra: unknown): unknown {
  const target = path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], value);
  if (target === null || typeof target !== 'object' || Array.isArray(target) || isIdRef(target))
    return withKey({ base: value }, key, extra);
  return replaceAt(value, path, withKey(target as Record<string, unknown>, key, extra));
}

/** What was done to a valid-ish value to make it hostile (printed with a failing case). */
export type Mutation = 'none' | 'replaced-whole' | 'replaced-field' | 'extra-key' | 'dropped-field' | 'tampered-text';

/** Fragments slipped into otherwise good text: what a column, a collation or a parser may choke on. */
const TEXT_HAZARDS = [
  '\u0000',
  '\u0000',
  '\u0000',
  '\ud800',
  '\ud800',
  '\udc00',
  '\udfff',
  '\u202e',
  '\u2067',
  '\u200b',
  '\ufeff',
  '\u0007',
  '\r\n',
  '%00',
  '{{1}}',
  '{{',
  "'",
  '\\',
  '😀',
];

const stringPaths = (value: unknown): string[][] =>
  paths(value).filter((p) => typeof p.reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], value) === 'string');

/**
 * A payload for a schema: valid-ish as generated, or that value with one thing made hostile (the
 * whole of it, one field at any depth, an extra key, a required field dropped).
 */
export function payloadFor(schema: Schema, resolve: Resolve): fc.Arbitrary<{ value: unknown; mutation: Mutation }> {
  type Payload = { value: unknown; mutation: Mutation };
  const as =
    (mutation: Mutation) =>
    (value: unknown): Payload => ({ value, mutation });
  const valid = fromSchema(schema, '', resolve);
  return fc.oneof(
    { arbitrary: valid.map(as('none')), weight: 6 },
    { arbitrary: hostileValue.map(as('replaced-whole')), weight: 1 },
    {
      arbitrary: valid.chain((v) =>
        fc.tuple(fc.constantFrom(...paths(v)), hostileValue).map(([p, h]) => as('replaced-field')(replaceAt(v, p, h))),
      ),
      weight: 4,
    },
    {
      arbitrary: valid.chain((v) =>
        fc.tuple(fc.constantFrom(...paths(v)), hostileKey, hostileValue).map(([p, k, h]) => as('extra-key')(addKeyAt(v, p, k, h))),
      ),
      weight: 2,
    },
    {
      arbitrary: valid.chain((v) => {
        const targets = stringPaths(v);
        if (!targets.length) return fc.constant(as('none')(v));
        // One text gets the hazard, the others stay valid: the hazard is then all that stands between
        // the value and the database.
        return fc
          .tuple(fc.constantFrom(...targets), fc.constantFrom(...TEXT_HAZARDS), fc.nat(), fc.constantFrom(1, 1, 1, 3, 1000))
          .map(([p, hazard, at, times]) => {
            const text = p.reduce<unknown>((x, k) => (x as Record<string, unknown>)[k], v) as string;
            const cut = text.length ? at % (text.length + 1) : 0;
            const tampered = `${text.slice(0, cut)}${hazard.repeat(times)}${text.slice(cut)}`;
            return as('tampered-text')(replaceAt(v, p, tampered));
          });
      }),
      weight: 5,
    },
    {
      arbitrary: valid.chain((v) => {
        const keys = v && typeof v === 'object' ? Object.keys(v) : [];
        return keys.length
          ? fc.constantFrom(...keys).map((k) => {
              const copy = { ...(v as Record<string, unknown>) };
              delete copy[k];
              return as('dropped-field')(copy);
            })
          : fc.constant(as('none')(v));
      }),
      weight: 1,
    },
  );
}

/** Replaces every id reference by a real id of its kind (or, when none is known, a random one). */
export function resolveIds(value: unknown, pick: (ref: IdRef) => string, depth = 0): unknown {
  if (isIdRef(value)) return pick(value);
  // References sit where the schema put them, a few levels down; deep nesting is hostile filler.
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || depth > 16) return value;
  if (Array.isArray(value)) return value.map((v) => resolveIds(v, pick, depth + 1));
  let out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) out = withKey(out, k, resolveIds((value as Record<string, unknown>)[k], pick, depth + 1));
  return out;
}
