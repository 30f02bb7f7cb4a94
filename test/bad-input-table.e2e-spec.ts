import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import type { SessionView } from '@parley/contracts';
import { startApp, TestClient, type TestApp } from './support/harness';
import { bearer, createSession, register, roomOf, type Person } from './support/people';

/**
 * Every input of issue 16's finding 7 that used to answer 500 (a stack in the log) answers a 4xx
 * with the documented error shape — { statusCode, code, message, field? } — and changes nothing.
 * One row per input: the path, what is sent, the status and the stable code expected.
 */

/** JSON text nested `depth` deep: [[[…]]] (built as text: the client would overflow building it as a value). */
const nested = (depth: number, inner = '1') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
const nestedObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

interface Row {
  name: string;
  method: 'get' | 'post' | 'patch';
  path: (ids: Ids) => string;
  /** An object is sent as JSON; a string is sent as it is, as application/json unless headers say otherwise. */
  body?: object | string;
  headers?: Record<string, string>;
  /** Who sends it: the mediator by default, or a token naming no account. */
  as?: 'mediator' | 'ghost';
  status: number;
  code: string;
  /** The field named, or a prefix of it (a deep path), when the input has one. */
  field?: string;
}

interface Ids {
  session: string;
  plenary: string;
  clause: string;
}

const sessionPath = (ids: Ids) => `/api/sessions/${ids.session}`;

const ROWS: Row[] = [
  // Depth: class-transformer recursed once per level and overflowed the stack at a few thousand.
  {
    name: 'parties nested 3,000 deep',
    method: 'post',
    path: () => '/api/sessions',
    body: `{"title":"T","parties":${nested(3000)}}`,
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'parties',
  },
  {
    name: 'an object nested 3,000 deep on PATCH',
    method: 'patch',
    path: sessionPath,
    body: `{"title":${nestedObject(3000)}}`,
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'title',
  },
  {
    name: 'a change nested 3,000 deep',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/agreement/changes`,
    body: `{"change":${nestedObject(3000)}}`,
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'change',
  },
  // Keys that reach for the prototype chain.
  {
    name: '{"constructor":{…}}',
    method: 'post',
    path: () => '/api/sessions',
    body: '{"title":"T","constructor":{"name":"x","prototype":{}}}',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'constructor',
  },
  {
    name: '{"constructor":{…}} inside a change',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/agreement/changes`,
    body: '{"change":{"kind":"delete","constructor":{"name":"Object"}}}',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'change.constructor',
  },
  {
    name: '{"__proto__":{…}}',
    method: 'patch',
    path: sessionPath,
    body: '{"__proto__":{"title":"Polluted"}}',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: '__proto__',
  },
  // Text PostgreSQL cannot store.
  {
    name: 'a NUL byte in a title',
    method: 'post',
    path: () => '/api/sessions',
    body: { title: 'Harbour\u0000talks' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'title',
  },
  {
    name: 'a NUL byte in a PATCHed description',
    method: 'patch',
    path: sessionPath,
    body: { description: 'before\u0000after' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'description',
  },
  {
    name: 'a NUL byte in a chat message',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/rooms/${ids.plenary}/messages`,
    body: { text: 'hello\u0000', clientMessageId: 'nul-message-1' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'text',
  },
  {
    name: 'a NUL byte in a key',
    method: 'patch',
    path: sessionPath,
    body: '{"title\\u0000":"T"}',
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'a NUL byte in the query string',
    method: 'get',
    path: (ids) => `${sessionPath(ids)}/shuttle?status=%00`,
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'status',
  },
  {
    name: 'a lone high surrogate in a title',
    method: 'post',
    path: () => '/api/sessions',
    body: '{"title":"Harbour \\ud800 talks"}',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'title',
  },
  {
    name: 'a lone low surrogate in a PATCHed title',
    method: 'patch',
    path: sessionPath,
    body: '{"title":"\\udc00"}',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'title',
  },
  {
    name: 'a lone surrogate in a chat message',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/rooms/${ids.plenary}/messages`,
    body: '{"text":"half \\ud83d of an emoji","clientMessageId":"surrogate-1"}',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'text',
  },
  // null where a value is required.
  {
    name: '{"title":null} on PATCH',
    method: 'patch',
    path: sessionPath,
    body: { title: null },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'title',
  },
  {
    name: 'coolingOffSeconds: null',
    method: 'patch',
    path: sessionPath,
    body: { coolingOffSeconds: null },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'coolingOffSeconds',
  },
  {
    name: 'description: null',
    method: 'patch',
    path: sessionPath,
    body: { description: null },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'description',
  },
  {
    name: 'parties: null on create',
    method: 'post',
    path: () => '/api/sessions',
    body: { title: 'T', parties: null },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'parties',
  },
  // Arrays where objects are expected (@ValidateNested validated each element of [] — none).
  {
    name: '{"change":[]}',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/agreement/changes`,
    body: { change: [] },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'change',
  },
  {
    name: 'wording: []',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/agreement/changes`,
    body: { change: { kind: 'insert', wording: [] } },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'change.wording',
  },
  {
    name: 'wording: [] in a proposal',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/agreement/proposals`,
    body: { change: { kind: 'replace', clauseId: randomUUID(), baseVersion: 1, wording: [] }, visibility: 'tabled' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'change.wording',
  },
  // Found by the fuzz suite: an array where an element object is expected (@ValidateNested({ each: true })
  // walked the inner array's elements, none, and toChange read the missing options: a TypeError).
  {
    name: 'segments: [[]]',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/agreement/changes`,
    body: { change: { kind: 'insert', wording: { text: 'Within {{1}} days', segments: [[]] } } },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'change.wording.segments',
  },
  {
    name: 'options: [[]]',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/agreement/changes`,
    body: { change: { kind: 'insert', wording: { text: 'Within {{1}} days', segments: [{ options: [[], { text: '60' }] }] } } },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'change.wording.segments.0.options',
  },
  {
    name: 'segments: [null] in a proposal',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/agreement/proposals`,
    body: {
      change: { kind: 'insert', afterClauseId: null, wording: { text: 'Within {{1}} days', segments: [null] } },
      visibility: 'tabled',
    },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'change.wording.segments',
  },
  // Numbers beyond their int4 columns.
  {
    name: 'afterSeq=2147483648',
    method: 'get',
    path: (ids) => `${sessionPath(ids)}/rooms/${ids.plenary}/events?afterSeq=2147483648`,
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'afterSeq',
  },
  {
    name: 'beforeSeq=2147483648',
    method: 'get',
    path: (ids) => `${sessionPath(ids)}/rooms/${ids.plenary}/events?beforeSeq=2147483648`,
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'beforeSeq',
  },
  {
    name: 'a redline to version 2147483648',
    method: 'get',
    path: (ids) => `${sessionPath(ids)}/agreement/clauses/${ids.clause}/redline?from=1&to=2147483648`,
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'to',
  },
  {
    name: 'baseVersion 2147483648',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/agreement/changes`,
    body: { change: { kind: 'delete', clauseId: randomUUID(), baseVersion: 2147483648 } },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'change.baseVersion',
  },
  // Bodies the JSON parser cannot read.
  {
    name: 'an unknown charset',
    method: 'post',
    path: () => '/api/sessions',
    body: '{"title":"T"}',
    headers: { 'Content-Type': 'application/json; charset=klingon' },
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'an unknown Content-Encoding',
    method: 'post',
    path: () => '/api/sessions',
    body: '{"title":"T"}',
    headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'x-klingon' },
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'a gzip body that is not gzip',
    method: 'patch',
    path: sessionPath,
    body: '{"title":"T"}',
    headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  // A well-signed token whose account does not exist.
  {
    name: 'a token of a non-existent account on POST /api/sessions',
    method: 'post',
    path: () => '/api/sessions',
    body: { title: 'Ghost session' },
    as: 'ghost',
    status: 401,
    code: 'TOKEN_INVALID',
  },
  // Issue 12: bulk moves and invitations as people. A bulk move refused changes nobody's place.
  {
    name: 'a bulk move with moves nested 3,000 deep',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/moves`,
    body: `{"moves":${nested(3000)}}`,
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'moves',
  },
  {
    name: 'a bulk move of 201 moves',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/moves`,
    body: { moves: Array.from({ length: 201 }, () => ({ participantId: randomUUID(), roomId: randomUUID() })) },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'moves',
  },
  {
    name: 'a bulk move whose move is a string',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/moves`,
    body: { moves: ['everyone'] },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'moves',
  },
  {
    name: 'a bulk move with an unknown key in a move',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/moves`,
    body: { moves: [{ participantId: randomUUID(), roomId: randomUUID(), force: true }] },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'moves.0.force',
  },
  {
    name: 'a bulk move naming nobody of this session',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/moves`,
    body: { moves: [{ participantId: randomUUID(), roomId: randomUUID() }] },
    status: 404,
    code: 'PARTICIPANT_NOT_FOUND',
    field: 'moves.0.participantId',
  },
  {
    name: 'an invitation whose name is a bidi override',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/invitations`,
    body: { role: 'observer', displayName: '\u202eAnna' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'displayName',
  },
  {
    name: 'an invitation whose name is an array',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/invitations`,
    body: { role: 'observer', displayName: ['Anna'] },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'displayName',
  },
  // Issue 15: declared languages and an interpreter's pair. This session declares none.
  {
    name: 'a new session in a language with a lower-case region',
    method: 'post',
    path: () => '/api/sessions',
    body: { title: 'Languages', languages: ['ar', 'pt-br'] },
    status: 400,
    code: 'LANGUAGE_INVALID',
    field: 'languages',
  },
  {
    name: 'session languages that are not codes',
    method: 'patch',
    path: sessionPath,
    body: { languages: ['English'] },
    status: 400,
    code: 'LANGUAGE_INVALID',
    field: 'languages',
  },
  {
    name: 'a session language given twice',
    method: 'patch',
    path: sessionPath,
    body: { languages: ['ar', 'ar'] },
    status: 400,
    code: 'LANGUAGE_INVALID',
    field: 'languages',
  },
  {
    name: 'session languages: null',
    method: 'patch',
    path: sessionPath,
    body: { languages: null },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'languages',
  },
  {
    name: 'an interpreter invitation without languages',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/invitations`,
    body: { role: 'interpreter', displayName: 'Ines' },
    status: 400,
    code: 'LANGUAGE_INVALID',
    field: 'languages',
  },
  {
    name: 'an interpreter invitation in languages the session does not declare',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/invitations`,
    body: { role: 'interpreter', displayName: 'Ines', languages: ['ar', 'en'] },
    status: 400,
    code: 'LANGUAGE_NOT_DECLARED',
    field: 'languages',
  },
  {
    name: 're-issuing an invitation that is not a UUID',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/invitations/%00/reissue`,
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'invitationId',
  },
  {
    name: 're-issuing an unknown invitation',
    method: 'post',
    path: (ids) => `${sessionPath(ids)}/invitations/${randomUUID()}/reissue`,
    status: 404,
    code: 'INVITATION_NOT_FOUND',
    field: 'invitationId',
  },
];

describe('bad input, one row per input of finding 7', () => {
  let app: TestApp;
  let mediator: Person;
  let ghostToken: string;
  let session: SessionView;
  let ids: Ids;
  let auditLength: number;
  let sessionsBefore: number;
  const audit = async () => (await app.http().get(`/api/sessions/${session.id}/audit`).set(bearer(mediator)).expect(200)).body;
  const view = async () => (await app.http().get(`/api/sessions/${session.id}`).set(bearer(mediator)).expect(200)).body as SessionView;
  const plenaryEvents = async () =>
    (await app.http().get(`/api/sessions/${session.id}/rooms/${ids.plenary}/events`).set(bearer(mediator)).expect(200)).body;

  beforeAll(async () => {
    app = await startApp();
    mediator = await register(app, 'Mediator');
    session = await createSession(app, mediator, ['Alpha', 'Beta']);
    await app.http().post(`/api/sessions/${session.id}/status`).set(bearer(mediator)).send({ status: 'open' }).expect(200);
    ids = { session: session.id, plenary: roomOf(session, 'plenary').id, clause: randomUUID() };
    // Signed with the server's own key, for an account that was never created.
    ghostToken = app.app
      .get(JwtService, { strict: false })
      .sign({ sub: randomUUID(), typ: 'access' }, { issuer: 'parley', algorithm: 'HS256', expiresIn: 600 });
    auditLength = (await audit()).entries.length;
    sessionsBefore = (await app.http().get('/api/sessions').set(bearer(mediator)).expect(200)).body.length;
  });

  afterAll(async () => {
    await app?.close();
  });

  it.each(ROWS.map((row) => [row.name, row] as const))('%s → 4xx with a stable code', async (_name, row) => {
    let req = app.http()[row.method](row.path(ids));
    req = req.set(row.as === 'ghost' ? { Authorization: `Bearer ${ghostToken}` } : bearer(mediator));
    if (typeof row.body === 'string') req = req.set('Content-Type', 'application/json');
    if (row.headers) req = req.set(row.headers);
    const res = row.body === undefined ? await req : await req.send(row.body);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: row.status, code: row.code });
    expect(res.body).toMatchObject({ statusCode: row.status, code: row.code, message: expect.any(String) });
    expect(res.body.retryable).toBeUndefined();
    if (row.field) expect(String(res.body.field)).toMatch(new RegExp(`^${row.field.replace(/[.$_]/g, '\\$&')}`));
  });

  describe('over Socket.IO, the same rule', () => {
    let socket: TestClient;
    beforeAll(async () => {
      socket = await TestClient.connect(app.url, mediator.token);
      await socket.join(session.id);
    });
    afterAll(() => socket?.close());

    it.each([
      [
        'a NUL byte in a chat message',
        'chat.post',
        () => ({ roomId: ids.plenary, text: 'a\u0000b', clientMessageId: 'socket-nul-1' }),
        'text',
      ],
      [
        'a lone surrogate in a chat message',
        'chat.post',
        () => ({ roomId: ids.plenary, text: 'a\ud800b', clientMessageId: 'socket-sur-1' }),
        'text',
      ],
      ['a payload nested 3,000 deep', 'chat.post', () => JSON.parse(`{"roomId":${nestedObject(3000)}}`) as unknown, 'roomId'],
      ['{"constructor":{…}}', 'room.history', () => ({ roomId: ids.plenary, constructor: { name: 'x' } }), 'constructor'],
      ['afterSeq 2147483648', 'room.history', () => ({ roomId: ids.plenary, afterSeq: 2147483648 }), 'afterSeq'],
      ['afterSeq null', 'room.history', () => ({ roomId: ids.plenary, afterSeq: null }), 'afterSeq'],
      [
        'beforeSeq {"toString": …}, which no number conversion survives (found by the fuzz suite)',
        'room.history',
        () => ({ roomId: ids.plenary, beforeSeq: { toString: -2147483649 } }),
        'beforeSeq.toString',
      ],
      [
        'segments: [[]] (found by the fuzz suite)',
        'agreement.edit',
        () => ({ change: { kind: 'insert', wording: { text: 'Within {{1}} days', segments: [[]] } } }),
        'change.wording.segments',
      ],
      ['a NUL byte in an event that takes nothing', 'presence.get', () => ({ 'x\u0000': 1 }), undefined],
    ] as const)('%s → VALIDATION_FAILED', async (_name, event, payload, field) => {
      const ack = await socket.ask(event, payload());
      expect(ack).toEqual({ ok: false, error: expect.objectContaining({ code: 'VALIDATION_FAILED' }) });
      if (field && !ack.ok) expect(ack.error.field).toMatch(new RegExp(`^${field}`));
    });
  });

  it('lets well-formed text through: Arabic, and a surrogate pair', async () => {
    const text = 'اتفاق 😀 agreement';
    const res = await app
      .http()
      .post(`/api/sessions/${session.id}/rooms/${ids.plenary}/messages`)
      .set(bearer(mediator))
      .send({ text, clientMessageId: 'well-formed-1' })
      .expect(201);
    expect(res.body.payload?.text ?? JSON.stringify(res.body)).toContain(text);
    auditLength = (await audit()).entries.length; // a real change; every refusal before and after left none
  });

  it('changed nothing: the session, its room history, the list of sessions, the audit', async () => {
    const now = await view();
    expect(now.title).toBe(session.title);
    expect(now.description).toBe(session.description);
    expect(now.coolingOffSeconds).toBe(session.coolingOffSeconds);
    expect(now.languages).toEqual(session.languages);
    const events = await plenaryEvents();
    expect(JSON.stringify(events)).not.toMatch(/nul-message|surrogate-1|socket-nul|socket-sur|Polluted/);
    expect((await app.http().get('/api/sessions').set(bearer(mediator)).expect(200)).body).toHaveLength(sessionsBefore);
    const after = await audit();
    expect(after.entries.length).toBe(auditLength);
    expect(after.verification.valid).toBe(true);
    expect(({} as Record<string, unknown>).title).toBeUndefined();
  });
});
