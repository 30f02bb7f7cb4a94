import type { AgreementView } from '@parley/contracts';
import { sync } from '@parley/agreement/infrastructure/yjs';
import { syncMessage } from './support/drafts';
import { useMediation } from './support/mediation';

/**
 * Bad input to the negotiating text gets a clear error — status, stable code, the field — and
 * changes nothing: not the text, not its revision, not the audit chain.
 */
describe('negotiating text: bad input', () => {
  const { m } = useMediation();
  let clauseId: string;
  let segmentId: string;
  let before: { text: AgreementView; audit: number; proposals: number };

  const snapshot = async () => ({
    text: (await m().get(m().mediator, '/agreement').expect(200)).body as AgreementView,
    audit: (await m().get(m().mediator, '/audit').expect(200)).body.entries.length as number,
    proposals: (await m().get(m().mediator, '/agreement/proposals').expect(200)).body.length as number,
  });

  beforeAll(async () => {
    const r = await m()
      .post(m().mediator, '/agreement/changes', {
        change: {
          kind: 'insert',
          wording: { text: 'The border runs along {{1}}.', segments: [{ options: [{ text: 'the river' }, { text: 'the ridge' }] }] },
        },
      })
      .expect(201);
    clauseId = r.body.clauseId;
    segmentId = r.body.clauses[0].segments[0].id;
    before = await snapshot();
  });

  const edit = (change: object) => m().post(m().mediator, '/agreement/changes', { change });

  it.each([
    ['an unknown kind', { kind: 'rewrite', clauseId: 'x' }, 400, 'VALIDATION_FAILED', 'change.kind'],
    [
      'a clause id that is not a UUID',
      { kind: 'replace', clauseId: 'c1', baseVersion: 1, wording: { text: 'x' } },
      400,
      'VALIDATION_FAILED',
      'change.clauseId',
    ],
    [
      'no base version',
      { kind: 'delete', clauseId: '00000000-0000-4000-8000-000000000000' },
      400,
      'VALIDATION_FAILED',
      'change.baseVersion',
    ],
    [
      'a base version of 0',
      { kind: 'delete', clauseId: '00000000-0000-4000-8000-000000000000', baseVersion: 0 },
      400,
      'VALIDATION_FAILED',
      'change.baseVersion',
    ],
    ['no wording', { kind: 'insert' }, 400, 'VALIDATION_FAILED', 'change.wording'],
    ['wording not a string', { kind: 'insert', wording: { text: 7 } }, 400, 'VALIDATION_FAILED', 'change.wording.text'],
    ['an unknown property', { kind: 'insert', wording: { text: 'x' }, colour: 'red' }, 400, 'VALIDATION_FAILED', 'change.colour'],
    [
      'an option not an object',
      { kind: 'insert', wording: { text: '{{1}}', segments: [{ options: ['a'] }] } },
      400,
      'VALIDATION_FAILED',
      // Refused by @IsObject({ each: true }) on the list since 979422a, which names the list.
      'change.wording.segments.0.options',
    ],
    ['empty wording', { kind: 'insert', wording: { text: '   ' } }, 422, 'WORDING_INVALID', 'wording.text'],
    [
      'a placeholder naming no segment',
      { kind: 'insert', wording: { text: 'Within {{2}} days', segments: [{ options: [{ text: '30' }] }] } },
      422,
      'WORDING_INVALID',
      'wording.text',
    ],
    [
      'a segment not placed',
      { kind: 'insert', wording: { text: 'Within days', segments: [{ options: [{ text: '30' }] }] } },
      422,
      'WORDING_INVALID',
      'wording.text',
    ],
    ['stray braces', { kind: 'insert', wording: { text: 'Within {{ days' } }, 422, 'WORDING_INVALID', 'wording.text'],
    [
      'a segment without options',
      { kind: 'insert', wording: { text: '{{1}}', segments: [{ options: [] }] } },
      422,
      'WORDING_INVALID',
      'wording.segments.0.options',
    ],
    [
      'a supporter who is no party',
      {
        kind: 'insert',
        wording: { text: '{{1}}', segments: [{ options: [{ text: 'a', supportedBy: ['00000000-0000-4000-8000-000000000000'] }] }] },
      },
      422,
      'WORDING_INVALID',
      'wording.segments.0.options.0.supportedBy',
    ],
    [
      'inserting after an unknown clause',
      { kind: 'insert', afterClauseId: '00000000-0000-4000-8000-000000000000', wording: { text: 'x' } },
      404,
      'CLAUSE_NOT_FOUND',
      'afterClauseId',
    ],
    [
      'an unknown clause',
      { kind: 'replace', clauseId: '00000000-0000-4000-8000-000000000000', baseVersion: 1, wording: { text: 'x' } },
      404,
      'CLAUSE_NOT_FOUND',
      'clauseId',
    ],
    [
      'resolving with neither option nor text',
      { kind: 'resolve_option', clauseId: '{clause}', baseVersion: 1, segmentId: '{segment}' },
      400,
      'VALIDATION_FAILED',
      'optionId',
    ],
    [
      'resolving with an unknown option',
      { kind: 'resolve_option', clauseId: '{clause}', baseVersion: 1, segmentId: '{segment}', optionId: 'Q' },
      404,
      'OPTION_NOT_FOUND',
      'optionId',
    ],
    [
      'an unknown segment',
      { kind: 'add_option', clauseId: '{clause}', baseVersion: 1, segmentId: 'nope', text: 'x' },
      404,
      'SEGMENT_NOT_FOUND',
      'segmentId',
    ],
    [
      'a stale base version',
      { kind: 'add_option', clauseId: '{clause}', baseVersion: 5, segmentId: '{segment}', text: 'x' },
      409,
      'CLAUSE_VERSION_CONFLICT',
      'baseVersion',
    ],
  ])('refuses %s', async (_name, raw, status, code, field) => {
    const change = JSON.parse(JSON.stringify(raw).replace('{clause}', clauseId).replace('{segment}', segmentId));
    const res = await edit(change).expect(status);
    expect(res.body).toMatchObject({ statusCode: status, code, field });
  });

  it('refuses proposals, responses, marks and sign-offs that do not hold', async () => {
    const { a1, mediator } = m();
    expect(
      (
        await m()
          .post(a1, '/agreement/proposals', { visibility: 'secret', change: { kind: 'delete', clauseId, baseVersion: 1 } })
          .expect(400)
      ).body.field,
    ).toBe('visibility');
    expect(
      (
        await m()
          .post(mediator, '/agreement/proposals', { visibility: 'private', change: { kind: 'delete', clauseId, baseVersion: 1 } })
          .expect(400)
      ).body,
    ).toMatchObject({ code: 'VALIDATION_FAILED', field: 'visibility' });
    expect(
      (
        await m()
          .post(a1, '/agreement/proposals', {
            visibility: 'tabled',
            counterTo: '00000000-0000-4000-8000-000000000000',
            change: { kind: 'delete', clauseId, baseVersion: 1 },
          })
          .expect(404)
      ).body,
    ).toMatchObject({ code: 'PROPOSAL_NOT_FOUND', field: 'counterTo' });
    expect(
      (await m().post(a1, '/agreement/proposals/00000000-0000-4000-8000-000000000000/responses', { response: 'accept' }).expect(404)).body
        .code,
    ).toBe('PROPOSAL_NOT_FOUND');
    expect((await m().post(a1, '/agreement/proposals/not-a-uuid/responses', { response: 'accept' }).expect(400)).body.field).toBe(
      'proposalId',
    );
    expect((await m().post(a1, `/agreement/clauses/${clauseId}/mark`, { baseVersion: 1, level: 'signed' }).expect(400)).body.field).toBe(
      'level',
    );
    expect((await m().post(a1, '/agreement/sign-off', { sha256: 'abc', password: a1.password }).expect(400)).body.field).toBe('sha256');
    expect(
      (
        await m()
          .post(m().a2, '/agreement/sign-off', { sha256: 'a'.repeat(64), password: m().a2.password })
          .expect(403)
      ).body.code,
    ).toBe('HEAD_OF_DELEGATION_ONLY');
    expect(
      (
        await m()
          .post(a1, '/agreement/sign-off', { sha256: 'a'.repeat(64), password: a1.password })
          .expect(409)
      ).body.code,
    ).toBe('AGREEMENT_NOT_FINAL');
    expect((await m().post(mediator, '/agreement/changes', {}).expect(400)).body).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'change',
    });
    expect((await m().get(a1, '/agreement/export?format=pdf').expect(400)).body.field).toBe('format');
    expect((await m().get(a1, '/agreement/export').expect(409)).body.code).toBe('AGREEMENT_NOT_FINAL');
    expect((await m().get(a1, `/agreement/clauses/${clauseId}/redline?from=0&to=1`).expect(400)).body.field).toBe('from');
  });

  it('refuses draft messages that are not y-protocols sync messages with a valid Yjs update', async () => {
    const c = m().client(m().mediator);
    const draft = { kind: 'mediators' };
    expect(await c.ask('draft.sync', { draft, message: 'hello' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', field: 'message' },
    });
    expect(await c.ask('draft.sync', { draft: { kind: 'party' }, message: Buffer.from([0, 0]) })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', field: 'partyId' },
    });
    expect(await c.ask('draft.sync', { draft, message: Buffer.from([0, 0]), extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', field: 'extra' },
    });
    expect(await c.ask('draft.sync', { draft, message: Buffer.from([9, 1, 0]) })).toMatchObject({
      ok: false,
      error: { code: 'DRAFT_MESSAGE_INVALID', field: 'message' },
    });
    expect(await c.ask('draft.sync', { draft, message: Buffer.from([0xff, 0xff]) })).toMatchObject({
      ok: false,
      error: { code: 'DRAFT_MESSAGE_INVALID' },
    });
    const garbage = syncMessage(sync.messageYjsUpdate, Buffer.from('not a yjs update at all'));
    expect(await c.ask('draft.sync', { draft, message: garbage })).toMatchObject({
      ok: false,
      error: { code: 'DRAFT_MESSAGE_INVALID', field: 'message' },
    });
    // Nothing was stored: the draft is still empty.
    const stored = (await m().get(m().mediator, '/drafts/mediators').expect(200)).body.update;
    expect(Buffer.from(stored, 'base64')).toEqual(Buffer.from([0, 0]));
  });

  it('changed nothing: the text, its revision, the proposals and the audit chain are as before', async () => {
    expect(await snapshot()).toEqual(before);
  });
});
